/** @module Facts as a person reads them: Chinese label and value ("是否寄宿：是"), and what to fill in when one is missing. */
import type { FactRef } from '../pack/cel.ts';
import { factDefinition } from '../pack/cel.ts';
import { formatYuan } from '../money.ts';
import type { FactUsed, MissingFact } from './decision.ts';

export function describeFact(ref: FactRef, value: unknown): FactUsed {
  return { fact: `${ref.scope}.${ref.key}`, label: factDefinition(ref)?.label ?? ref.key, value: formatFactValue(ref.key.endsWith('Fen'), value) };
}

export function describeMissing(ref: FactRef): MissingFact {
  const def = factDefinition(ref);
  return { fact: `${ref.scope}.${ref.key}`, label: def?.label ?? ref.key, input: def?.input ?? ref.key };
}

/** A fact's value as a reason shows it; money facts (named …Fen) read as 元. */
export function formatFactValue(money: boolean, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (Array.isArray(value)) return value.length === 0 ? '无' : value.join('、');
  if (money && (typeof value === 'bigint' || typeof value === 'number')) return `${formatYuan(Number(value))}元`;
  return String(value);
}
