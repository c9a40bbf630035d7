/** @module Coverage: every paragraph of a seed document, and the rule that encodes it or the reason it grants nothing. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { CompiledPack } from '../core/pack/compile.ts';
import { allCitations } from './citations.ts';
import { PACKS_DIR, readYaml } from './load.ts';

export const CoverageFileSchema = z.strictObject({
  notEncodable: z.array(z.union([
    z.strictObject({ quote: z.string().min(4), reason: z.string().min(2) }),
    z.strictObject({ lines: z.string().regex(/^\d+(-\d+)?$/), reason: z.string().min(2) }),
  ])).default([]),
});
export type CoverageFile = z.infer<typeof CoverageFileSchema>;

export interface Paragraph { line: number; text: string }

export type ParagraphStatus =
  | { kind: 'encoded'; policies: string[] }
  | { kind: 'not_encodable'; reason: string }
  | { kind: 'heading' }
  | { kind: 'metadata'; policies: string[] }
  | { kind: 'uncovered' };

export interface CoveredParagraph extends Paragraph { status: ParagraphStatus }

export interface SeedCoverage {
  file: string;
  pack: string | null;
  paragraphs: CoveredParagraph[];
  /** notEncodable entries that match no paragraph: stale or mistyped. */
  unusedEntries: string[];
}

/** Lines split at HTML block tags and before ★/● markers; editor bookmarks and empty fragments dropped. */
export function splitParagraphs(text: string): Paragraph[] {
  const out: Paragraph[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const fragments = raw.split(/<\/?(?:p|li|ol|ul)\b[^>]*>|(?=[★●])/);
    for (const fragment of fragments) {
      const clean = fragment.replace(/<[^>]+>/g, '').replace(/\[bookmark: [^\]]*\]/g, '').trim();
      if (/[\p{L}\p{N}]/u.test(clean)) out.push({ line: i + 1, text: clean });
    }
  });
  return out;
}

const HEADING_MAX = 25;
const METADATA = /主管部门|^依据[:：]|咨询电话/;

export function coverSeed(file: string, seedText: string, pack: CompiledPack | null, coverage: CoverageFile, citationsFromAllPacks: { file: string; quote: string; policy: string }[]): SeedCoverage {
  const paragraphs = splitParagraphs(seedText);
  const cites = citationsFromAllPacks.filter((c) => c.file === file);
  const used = new Set<number>();
  const covered = paragraphs.map((p): CoveredParagraph => {
    const policies = [...new Set(cites.filter((c) => p.text.includes(c.quote) || (c.quote.length > 12 && c.quote.includes(p.text))).map((c) => c.policy))];
    if (METADATA.test(p.text)) {
      const basisOf = pack?.policies.filter((pol) => pol.source.basis.some((b) => p.text.includes(b.slice(0, 12))) || pol.source.authority.some((a) => a.phone !== undefined && a.phone.replace(/\D/g, '').length >= 7 && p.text.includes(a.phone))).map((pol) => pol.id) ?? [];
      if (basisOf.length > 0 || policies.length > 0) return { ...p, status: { kind: 'metadata', policies: [...new Set([...basisOf, ...policies])] } };
    }
    if (policies.length > 0) return { ...p, status: { kind: 'encoded', policies } };
    const entryIndex = coverage.notEncodable.findIndex((e) => ('quote' in e ? p.text.includes(e.quote) : inRange(p.line, e.lines)));
    if (entryIndex >= 0) {
      used.add(entryIndex);
      return { ...p, status: { kind: 'not_encodable', reason: coverage.notEncodable[entryIndex]?.reason ?? '' } };
    }
    if (p.text.length <= HEADING_MAX && !/^[★●]/.test(p.text)) return { ...p, status: { kind: 'heading' } };
    return { ...p, status: { kind: 'uncovered' } };
  });
  const unusedEntries = coverage.notEncodable
    .filter((e, i) => !used.has(i) && !('quote' in e ? paragraphs.some((p) => p.text.includes(e.quote)) : false))
    .map((e) => ('quote' in e ? e.quote : `lines ${e.lines}`));
  return { file, pack: pack?.manifest.id ?? null, paragraphs: covered, unusedEntries };
}

function inRange(line: number, range: string): boolean {
  const [from, to] = range.split('-').map(Number) as [number, number | undefined];
  return line >= from && line <= (to ?? from);
}

export function readCoverageFile(packId: string, root = PACKS_DIR): CoverageFile {
  const path = join(root, packId, 'coverage.yaml');
  if (!existsSync(path)) return { notEncodable: [] };
  return CoverageFileSchema.parse(readYaml(path) ?? {});
}

/** Coverage of every seed file in the seeds folder, whether a pack encodes it yet or not. */
export function coverAllSeeds(packs: CompiledPack[], seedsDir: string, seedFiles: string[]): SeedCoverage[] {
  const citations = packs.flatMap((pack) => allCitations(pack));
  return seedFiles.map((file) => {
    const pack = packs.find((p) => p.manifest.source.file === file) ?? null;
    const coverage = pack ? readCoverageFile(pack.manifest.id) : { notEncodable: [] };
    return coverSeed(file, readFileSync(join(seedsDir, file), 'utf8'), pack, coverage, citations);
  });
}
