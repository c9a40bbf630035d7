/** @module Totals of what a household receives: cash, waived fees and premiums paid on its behalf, per period, never mixing per-month with per-year. */
import type { Fen } from '../money.ts';
import type { AmountKind } from '../pack/format.ts';
import type { Decision } from './decision.ts';

/** Kinds that reach the household itself; caps, rates, loans and money spent by others are not its income. */
export const COUNTED_KINDS: readonly AmountKind[] = ['cash', 'waiver', 'premium'];

export const PERIODS = ['每年', '每学期', '每月', '一次性'] as const;
export type Period = (typeof PERIODS)[number];

export interface PeriodTotal { period: Period; fen: Fen; count: number }

export interface Totals {
  household: PeriodTotal[];
  byMember: { index: number; name: string; totals: PeriodTotal[] }[];
}

/**
 * The period a unit such as 元/年, 元/人·年, 元/生/学期, 元/月 or 元/户 pays for; null for an average or a ceiling
 * (平均, 最高, 上限), which is not what a household actually receives.
 */
export function periodOf(unit: string): Period | null {
  if (/平均|最高|上限|以内/.test(unit)) return null;
  if (/[/·]月/.test(unit)) return '每月';
  if (unit.includes('学期')) return '每学期';
  if (/年/.test(unit)) return '每年';
  if (/一次性|\/户|\/人|\/家/.test(unit)) return '一次性';
  return null;
}

export function totalEntitlements(decisions: readonly Decision[]): Totals {
  const counted = decisions.filter((d) => d.status === 'eligible' && d.amount?.fen != null && COUNTED_KINDS.includes(d.amount.kind) && d.amount.period);
  const members = new Map<number, { name: string; decisions: Decision[] }>();
  for (const d of counted) {
    if (!d.member) continue;
    const entry = members.get(d.member.index) ?? { name: d.member.name, decisions: [] };
    entry.decisions.push(d);
    members.set(d.member.index, entry);
  }
  return {
    household: sumByPeriod(counted),
    byMember: [...members.entries()].sort(([a], [b]) => a - b).map(([index, m]) => ({ index, name: m.name, totals: sumByPeriod(m.decisions) })),
  };
}

function sumByPeriod(decisions: readonly Decision[]): PeriodTotal[] {
  const totals = new Map<Period, PeriodTotal>();
  for (const d of decisions) {
    const period = d.amount?.period;
    if (!period || d.amount?.fen == null) continue;
    const total = totals.get(period) ?? { period, fen: 0, count: 0 };
    total.fen += d.amount.fen;
    total.count += 1;
    totals.set(period, total);
  }
  return PERIODS.flatMap((p) => totals.get(p) ?? []);
}
