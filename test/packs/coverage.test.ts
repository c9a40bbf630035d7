// Every paragraph of a seed that has a pack is either encoded by a policy or listed as granting nothing, with a reason.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { renderCoverage } from '../../src/cli/render/coverage-text.ts';
import { coverAllSeeds, splitParagraphs } from '../../src/packs/coverage.ts';
import { loadPacks } from '../../src/packs/load.ts';
import { SEEDS_DIR } from '../../src/packs/seeds.ts';

const packs = loadPacks();
const seedFiles = readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.txt')).sort();
const coverage = coverAllSeeds(packs, SEEDS_DIR, seedFiles);

describe('paragraph splitting', () => {
  it('splits table cells at HTML tags and before ★/● markers, dropping bookmarks', () => {
    const paragraphs = splitParagraphs('[bookmark: _Toc1]标题\n<p>★甲项义务</p> <ul> ●乙项建议 ●丙项建议</ul>');
    expect(paragraphs.map((p) => [p.line, p.text])).toEqual([[1, '标题'], [2, '★甲项义务'], [2, '●乙项建议'], [2, '●丙项建议']]);
  });
});

for (const seed of coverage.filter((s) => s.pack !== null)) {
  describe(`coverage of ${seed.file} by ${seed.pack}`, () => {
    it('leaves no paragraph uncovered', () => {
      const uncovered = seed.paragraphs.filter((p) => p.status.kind === 'uncovered').map((p) => `line ${p.line}: ${p.text.slice(0, 60)}`);
      expect(uncovered).toEqual([]);
    });
    it('has no stale notEncodable entries', () => expect(seed.unusedEntries).toEqual([]));
    it('encodes at least one paragraph', () => expect(seed.paragraphs.some((p) => p.status.kind === 'encoded')).toBe(true));
  });
}

describe('docs/coverage.md', () => {
  it('is up to date with the packs (run `npm run coverage-doc`)', () => {
    expect(readFileSync('docs/coverage.md', 'utf8')).toBe(`${renderCoverage(coverage, true)}\n`);
  });
});
