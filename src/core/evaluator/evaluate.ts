/** @module The evaluator: (packs, household, date) → a decision per policy per member or household. Pure and deterministic. */
import { DomainError } from '../errors.ts';
import { householdFacts, memberFacts, type LocalFacts } from '../model/facts.ts';
import { FastScreener } from './fast-screen.ts';
import type { Household } from '../model/household.ts';
import { isRealDate } from '../model/id-card.ts';
import type { CompiledExpression, EvalContext, FactRef } from '../pack/cel.ts';
import { parameterOn, type CompiledAmount, type CompiledPack, type CompiledPolicy, type ParameterValue, type SourceCitation } from '../pack/compile.ts';
import { addCitation, baseDecision, decisionAmount, ineligible, keepDecisiveReasons, noAmountRowReason, parameterStopReason, undetermined, validityReason } from './decision-parts.ts';
import type { Decision, DecisionAmount, Explain, Reason, ScreeningResult } from './decision.ts';
import { describeFact } from './describe-fact.ts';
import { applyExclusionsAndOverrides, findConflicts } from './resolve-interactions.ts';
import { selectPacks } from './select-packs.ts';

export interface ScreeningOptions {
  /** How much of the why to keep (default true: every reason); see Explain. */
  explain?: Explain;
  /** Figures the deployment sets for its place (低保标准 and the like), in fen. */
  local?: LocalFacts;
}

/**
 * Screens one household: the batch screener compiled once per set of packs and local figures, which gives exactly the
 * interpreter's answer (test/core/evaluator/fast-screen.test.ts) about ten times faster.
 */
export function screenHousehold(packs: readonly CompiledPack[], household: Household, date: string, options: ScreeningOptions = {}): ScreeningResult {
  return screenerFor(packs, options.local ?? {}).screen(household, date, { explain: options.explain ?? true });
}

const screeners = new WeakMap<readonly CompiledPack[], Map<string, FastScreener>>();
const SCREENERS_PER_PACK_SET = 16;

function screenerFor(packs: readonly CompiledPack[], local: LocalFacts): FastScreener {
  const byLocal = screeners.get(packs) ?? new Map<string, FastScreener>();
  screeners.set(packs, byLocal);
  const key = Object.entries(local).map(([k, v]) => `${k}=${String(v)}`).sort().join('&');
  let screener = byLocal.get(key);
  if (!screener) {
    if (byLocal.size >= SCREENERS_PER_PACK_SET) byLocal.delete(byLocal.keys().next().value as string);
    screener = new FastScreener(packs, { local });
    byLocal.set(key, screener);
  }
  return screener;
}

/** The reference evaluator: CEL interpreted condition by condition. Slow and plain; the batch screener must agree with it. */
export function interpretHousehold(packs: readonly CompiledPack[], household: Household, date: string, options: ScreeningOptions = {}): ScreeningResult {
  if (!isRealDate(date)) throw new DomainError('invalid_input', `日期“${date}”无效，应为 YYYY-MM-DD`);
  const selected = selectPacks(packs, household.area.county, date);
  const explain = (options.explain ?? true) !== false;
  const base = { household: householdFacts(household, date), local: options.local ?? {}, date, year: BigInt(date.slice(0, 4)) };
  const membersFacts = household.members.map((m) => memberFacts(m, date));

  const decisions: Decision[] = [];
  for (const pack of selected) {
    for (const policy of pack.policies) {
      if (policy.source.subject === 'household') {
        decisions.push(decide(policy, { ...base, member: {} }, null, explain));
        continue;
      }
      household.members.forEach((m, index) => {
        decisions.push(decide(policy, { ...base, member: membersFacts[index] ?? {} }, { index, name: m.name }, explain));
      });
    }
  }
  const byId = new Map(selected.flatMap((p) => [...p.byId]));
  applyExclusionsAndOverrides(decisions, byId);
  if (options.explain === 'decisive') keepDecisiveReasons(decisions);
  return {
    household: household.id,
    date,
    packs: selected.map((p) => ({ id: p.manifest.id, version: p.manifest.version })),
    decisions,
    conflicts: findConflicts(decisions, byId),
  };
}

type Tri = { value: true | false } | { value: null; missing: FactRef[] };

function decide(policy: CompiledPolicy, ctx: EvalContext, member: Decision['member'], explain: boolean): Decision {
  const decision = baseDecision(policy, member);
  const outOfForce = validityReason(policy, ctx.date);
  if (outOfForce) return ineligible(decision, outOfForce);

  const missing: FactRef[] = [];
  let failed = false;
  for (const condition of policy.conditions) {
    const result = evaluateBool(condition.expression, ctx, policy.id);
    if (explain) decision.reasons.push(reasonFor(condition.label, result.value, condition.expression, ctx, condition.citation));
    if (result.value === false) {
      failed = true;
      if (!explain) break;
    } else if (result.value === null) missing.push(...result.missing);
  }
  if (failed) return ineligible(decision);
  if (missing.length > 0) return undetermined(decision, missing);

  const amount = resolveAmount(policy, ctx);
  if ('missing' in amount) return undetermined(decision, amount.missing);
  if ('stopped' in amount) return ineligible(decision, amount.stopped);
  decision.amount = amount.amount;
  if (amount.amount) addCitation(decision, amount.amount.citation);
  if (explain) for (const r of decision.reasons) addCitation(decision, r.citation);
  return decision;
}





/** Kleene logic over one expression: an absent fact it needs makes it unknown, unless CEL decided without it. */
function evaluateBool(expression: CompiledExpression, ctx: EvalContext, where: string): Tri {
  try {
    const value = expression.run(ctx);
    if (typeof value !== 'boolean') throw new DomainError('invalid_pack', `${where}: \`${expression.source}\` did not yield a bool`);
    return { value };
  } catch (error) {
    const missing = absentFacts(expression, ctx);
    if (missing.length > 0) return { value: null, missing };
    if (error instanceof DomainError) throw error;
    throw new DomainError('invalid_pack', `${where}: \`${expression.source}\` failed: ${(error as Error).message.split('\n')[0]}`);
  }
}

function absentFacts(expression: CompiledExpression, ctx: EvalContext): FactRef[] {
  return expression.facts.filter((f) => ctx[f.scope][f.key] === undefined);
}

function reasonFor(label: string, met: boolean | null, expression: CompiledExpression, ctx: EvalContext, citation: SourceCitation): Reason {
  return { label, met, facts: expression.facts.map((f) => describeFact(f, ctx[f.scope][f.key])), citation };
}

type AmountOutcome = { amount: DecisionAmount | null } | { missing: FactRef[] } | { stopped: Reason };

function resolveAmount(policy: CompiledPolicy, ctx: EvalContext): AmountOutcome {
  if (policy.amounts.length === 0) return { amount: null };
  for (const row of policy.amounts) {
    if (row.when) {
      const applies = evaluateBool(row.when, ctx, policy.id);
      if (applies.value === null) return { missing: applies.missing };
      if (!applies.value) continue;
    }
    return amountOf(policy, row, ctx);
  }
  return { stopped: noAmountRowReason(policy) };
}

function amountOf(policy: CompiledPolicy, row: CompiledAmount, ctx: EvalContext): AmountOutcome {
  const make = (fen: number | null, percent: number | null, citation: SourceCitation): AmountOutcome => ({ amount: decisionAmount(row, fen, percent, citation) });
  switch (row.value.type) {
    case 'fixed':
      return make(row.value.fen, null, row.citation);
    case 'percent':
      return make(null, row.value.percent, row.citation);
    case 'formula': {
      try {
        const fen = row.value.expression.run(ctx);
        return make(Number(fen), null, row.citation);
      } catch (error) {
        const missing = absentFacts(row.value.expression, ctx);
        if (missing.length > 0) return { missing };
        throw new DomainError('invalid_pack', `${policy.id}: amount formula failed: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    case 'param': {
      const values = policy.parameters.get(row.value.name) ?? [];
      const stopped = parameterStopReason(policy, values, ctx.date);
      if (stopped) return { stopped };
      const value = parameterOn(values, ctx.date) as ParameterValue;
      return make(value.fen, value.percent, value.citation);
    }
  }
}
