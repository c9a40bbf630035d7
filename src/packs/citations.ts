/** @module Every citation a compiled pack makes, with where it is made, for verification and for `mingbai explain`. */
import type { CompiledPack, SourceCitation } from '../core/pack/compile.ts';

export interface LocatedCitation extends SourceCitation { policy: string; where: string }

export function allCitations(pack: CompiledPack): LocatedCitation[] {
  const out: LocatedCitation[] = [];
  for (const p of pack.policies) {
    const at = (where: string, c: SourceCitation) => out.push({ ...c, policy: p.id, where: `${p.id}${where}` });
    at('', p.citation);
    p.conditions.forEach((c, i) => at(`.conditions[${i}]`, c.citation));
    p.amounts.forEach((a, i) => at(`.amount[${i}]`, a.citation));
    for (const [name, values] of p.parameters) values.forEach((v, i) => at(`.parameters.${name}[${i}]`, v.citation));
    (p.source.excludedBy ?? []).forEach((e, i) => at(`.excludedBy[${i}]`, { file: e.file ?? p.citation.file, quote: e.quote }));
  }
  return out;
}
