/** @module Building a Decision: the pieces both screeners (evaluate.ts and the batch screener) share, so their answers cannot drift apart. */
import { parameterOn, type CompiledPolicy, type ParameterValue, type SourceCitation } from '../pack/compile.ts';
import type { FactRef } from '../pack/cel.ts';
import type { Decision, DecisionAmount, Reason } from './decision.ts';
import { formatYuan } from '../money.ts';
import { periodOf } from './totals.ts';
import { describeMissing } from './describe-fact.ts';

export function baseDecision(policy: CompiledPolicy, member: Decision['member']): Decision {
  return {
    policy: policy.id,
    pack: policy.packId,
    name: policy.source.name,
    category: policy.source.category,
    member,
    status: 'eligible',
    amount: null,
    benefit: policy.source.benefit,
    measure: policy.source.measure ?? null,
    reasons: [],
    missing: [],
    citations: [policy.citation],
  };
}

/** The amount a decision pays, from its row's unit and kind: in fen (or a percent), as 元 text, and its period. */
export function decisionAmount(row: Pick<DecisionAmount, 'unit' | 'kind'>, fen: number | null, percent: number | null, citation: SourceCitation): DecisionAmount {
  return { fen, yuan: fen === null ? null : formatYuan(fen), percent, unit: row.unit, kind: row.kind, period: periodOf(row.unit), citation };
}

export function ineligible(decision: Decision, reason?: Reason): Decision {
  decision.status = 'ineligible';
  if (reason) {
    decision.reasons.push(reason);
    addCitation(decision, reason.citation);
  }
  return decision;
}

/** Missing facts are listed once each, in the order the conditions first needed them. */
export function undetermined(decision: Decision, refs: FactRef[]): Decision {
  decision.status = 'undetermined';
  const seen = new Set<string>();
  decision.missing = refs.filter((r) => !seen.has(`${r.scope}.${r.key}`) && seen.add(`${r.scope}.${r.key}`)).map(describeMissing);
  for (const r of decision.reasons) addCitation(decision, r.citation);
  return decision;
}

/**
 * The decisive explanation of a screening, in place: an ineligible decision keeps only the first unmet reason (why not,
 * in one line); eligible and undetermined decisions keep every reason. Citations are unchanged.
 */
export function keepDecisiveReasons(decisions: Decision[]): void {
  for (const d of decisions) {
    if (d.status !== 'ineligible' || d.reasons.length <= 1) continue;
    const first = d.reasons.find((r) => r.met === false);
    d.reasons = first ? [first] : [];
  }
}

export function addCitation(decision: Decision, citation: SourceCitation): void {
  if (!decision.citations.some((c) => c.file === citation.file && c.quote === citation.quote)) decision.citations.push(citation);
}

export function validityReason(policy: CompiledPolicy, date: string): Reason | null {
  const valid = policy.source.valid;
  if (!valid) return null;
  if ((valid.from && date < valid.from) || (valid.to && date > valid.to)) {
    return { label: `本政策有效期为 ${valid.from ?? '—'} 至 ${valid.to ?? '今'}`, met: false, facts: [], citation: policy.citation };
  }
  return null;
}

export function noAmountRowReason(policy: CompiledPolicy): Reason {
  return { label: '不属于任何一档补助标准', met: false, facts: [], citation: policy.citation };
}

/** Why a dated parameter pays nothing on a date: not yet in force, or stopped by a null value; null when it pays. */
export function parameterStopReason(policy: CompiledPolicy, values: ParameterValue[], date: string): Reason | null {
  const value = parameterOn(values, date);
  if (!value) {
    const first = values[0];
    return { label: `本政策自 ${first?.from ?? '—'} 起执行`, met: false, facts: [], citation: first?.citation ?? policy.citation };
  }
  if (value.fen === null && value.percent === null) {
    return { label: `本政策自 ${value.from} 起不再执行`, met: false, facts: [], citation: value.citation };
  }
  return null;
}
