// Every quote a pack cites must occur verbatim in the seed file it names: the proof is only as good as the quote.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPacks } from '../../src/packs/load.ts';
import { allCitations } from '../../src/packs/citations.ts';
import { SEEDS_DIR } from '../../src/packs/seeds.ts';

for (const pack of loadPacks()) {
  describe(`citations of ${pack.manifest.id}`, () => {
    const citations = allCitations(pack);
    it('cite something', () => expect(citations.length).toBeGreaterThan(pack.policies.length));
    it('occur verbatim in their seed files', () => {
      const seeds = new Map<string, string>();
      const read = (file: string) => seeds.get(file) ?? seeds.set(file, readFileSync(join(SEEDS_DIR, file), 'utf8')).get(file) as string;
      const notFound = citations.filter((c) => !read(c.file).includes(c.quote)).map((c) => `${c.where}: “${c.quote}” not in ${c.file}`);
      expect(notFound).toEqual([]);
    });
  });
}
