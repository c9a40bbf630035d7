/** @module Totals of what a household receives: cash, waived fees and premiums paid on its behalf, per unit, never mixing per-month with per-year. */
import type { Fen } from '../money.ts';
import type { AmountKind } from '../pack/format.ts';
import type { Decision } from './decision.ts';

/** Kinds that reach the household itself; caps, rates, loans and money spent by others are not its income. */
export const COUNTED_KINDS: readonly AmountKind[] = ['cash', 'waiver', 'premium'];

export interface UnitTotal { unit: string; fen: Fen; count: number }

export interface Totals {
  household: UnitTotal[];
  byMember: { index: number; name: string; totals: UnitTotal[] }[];
}

export function totalEntitlements(decisions: readonly Decision[]): Totals {
  const counted = decisions.filter((d) => d.status === 'eligible' && d.amount?.fen != null && COUNTED_KINDS.includes(d.amount.kind));
  const members = new Map<number, { name: string; decisions: Decision[] }>();
  for (const d of counted) {
    if (!d.member) continue;
    const entry = members.get(d.member.index) ?? { name: d.member.name, decisions: [] };
    entry.decisions.push(d);
    members.set(d.member.index, entry);
  }
  return {
    household: sumByUnit(counted),
    byMember: [...members.entries()].sort(([a], [b]) => a - b).map(([index, m]) => ({ index, name: m.name, totals: sumByUnit(m.decisions) })),
  };
}

function sumByUnit(decisions: readonly Decision[]): UnitTotal[] {
  const byUnit = new Map<string, UnitTotal>();
  for (const d of decisions) {
    const amount = d.amount;
    if (!amount || amount.fen === null) continue;
    const total = byUnit.get(amount.unit) ?? { unit: amount.unit, fen: 0, count: 0 };
    total.fen += amount.fen;
    total.count += 1;
    byUnit.set(amount.unit, total);
  }
  return [...byUnit.values()];
}
