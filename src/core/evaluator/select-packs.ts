/** @module Which packs speak for a household: its 区县 picks the jurisdiction, the date picks the document's period. */
import { DomainError } from '../errors.ts';
import type { CompiledPack } from '../pack/compile.ts';

export function packCovers(pack: CompiledPack, date: string): boolean {
  const { from, to } = pack.manifest.period;
  return from <= date && (to === null || date <= to);
}

export function packServesCounty(pack: CompiledPack, county: string): boolean {
  return pack.manifest.jurisdiction.counties.includes(county);
}

/** Packs for the county in force on the date; an error naming the county or the periods when there are none. */
export function selectPacks(packs: readonly CompiledPack[], county: string, date: string): CompiledPack[] {
  const local = packs.filter((p) => packServesCounty(p, county));
  if (local.length === 0) {
    const known = [...new Set(packs.flatMap((p) => p.manifest.jurisdiction.counties))].join('、');
    throw new DomainError('no_pack_for_area', `区县“${county}”没有适用的政策包（已有：${known}）`, { county });
  }
  const inForce = local.filter((p) => packCovers(p, date));
  if (inForce.length === 0) {
    const periods = local.map((p) => `${p.manifest.name}：${p.manifest.period.from} 至 ${p.manifest.period.to ?? '今'}`).join('；');
    throw new DomainError('date_outside_period', `${date} 不在${county}任何政策包的有效期内（${periods}）`, { county, date });
  }
  return inForce;
}
