/**
 * @module The batch screener: the same decisions as screenHousehold(), for registry-scale runs.
 *
 * Packs are compiled once: every CEL expression into a closure over fact slots that follows the interpreter exactly
 * (cel-closure.ts), and per date plan one generated JS function deciding all member policies for a member when every
 * fact it reads is present (cel-codegen.ts); what that function cannot answer (missing facts, anything unusual) is
 * decided by the closures, in the evaluator's order. A household's facts are derived one at a time, only those the
 * packs read, only when a condition asks (fast-facts.ts); conditions that read no member fact are decided once per
 * household. screenCompact() writes decisions into reusable typed arrays without reasons; expand() (or screen())
 * makes the full ScreeningResult on demand, with or without explanations. test/core/evaluator/fast-screen.test.ts
 * checks every path against screenHousehold().
 */
import { DomainError } from '../errors.ts';
import type { LocalFacts } from '../model/facts.ts';
import type { Household } from '../model/household.ts';
import { isRealDate } from '../model/id-card.ts';
import type { CompiledExpression, EvalContext, FactRef } from '../pack/cel.ts';
import { parameterOn, type CompiledAmount, type CompiledPack, type CompiledPolicy, type ParameterValue, type SourceCitation } from '../pack/compile.ts';
import { ERR, FALLBACK, UNSET, Unsupported, compileClosure, parseExpression, plainAccess, type Closure } from './cel-closure.ts';
import {
  OUTCOME_UNANSWERED, compileMemberFunction, compilePolicyFunction,
  type MemberEnv, type MemberFunction, type PlanPolicy, type PolicyFunction, type RowPlan,
} from './cel-codegen.ts';
import type { Decision, DecisionAmount, Explain, FactUsed, Reason, ScreeningResult } from './decision.ts';
import { describeFact, formatFactValue } from './describe-fact.ts';
import { addCitation, baseDecision, decisionAmount, ineligible, keepDecisiveReasons, noAmountRowReason, parameterStopReason, undetermined, validityReason } from './decision-parts.ts';
import {
  HouseholdScope, dateParts, householdDeriver, memberDeriver,
  type DateParts, type HouseholdDeriver, type MemberDeriver, type MemberScope,
} from './fast-facts.ts';
import { applyExclusionsAndOverrides, findConflicts } from './resolve-interactions.ts';
import { selectPacks } from './select-packs.ts';

/** Status codes of a compact decision. */
export const INELIGIBLE = 0;
export const ELIGIBLE = 1;
export const UNDETERMINED = 2;

/** Why a compact decision came out as it did, before exclusions and overrides. */
export enum Outcome {
  ConditionFailed = 0,
  Eligible = 1,
  MissingForConditions = 2,
  OutOfForce = 3,
  NotYetInForce = 4,
  Stopped = 5,
  NoAmountRow = 6,
  MissingForAmount = 7,
}

interface Ref {
  scope: FactRef['scope'];
  key: string;
  slot: number;
  /** describeFact()'s fixed parts, computed once. */
  fact: string;
  label: string;
  money: boolean;
}

interface Expr {
  index: number;
  source: string;
  facts: FactRef[];
  refs: Ref[];
  closure: Closure | null;
  /** Reads facts only as scope.key, so a context of the facts it names is all the interpreter needs. */
  plain: boolean;
  /** Reads no member fact: decided once per household. */
  householdOnly: boolean;
  interp: CompiledExpression;
}

interface AmountPlan {
  row: CompiledAmount;
  when: Expr | null;
  formula: Expr | null;
}

interface PolicyPlan {
  index: number;
  policy: CompiledPolicy;
  household: boolean;
  conditions: { expr: Expr; label: string; citation: SourceCitation }[];
  /** How many leading conditions read no member fact. */
  lead: number;
  amounts: AmountPlan[];
}

/** Which policy and member each entry is, and where each policy's entries start, for a household size. */
interface Layout { policy: Int32Array; member: Int16Array; offsets: Int32Array }

interface DatePlan {
  date: string;
  parts: DateParts;
  year: bigint;
  selected: CompiledPack[];
  policies: PolicyPlan[];
  byId: Map<string, CompiledPolicy>;
  /** Per policy: its validity reason on the date (null when in force), and dated parameters resolved for the date. */
  outOfForce: (Reason | null)[];
  paramValue: (Map<string, ParameterValue | undefined>)[];
  interactions: boolean;
  slots: boolean;
  /** Per policy: 1 when it excludes or overrides another policy, or another one it (so exclusions can change it). */
  involved: Uint8Array;
  /** Per policy: 1 when it claims a slot. */
  slotted: Uint8Array;
  /** Per policy: the plan positions of the policies that exclude it / that it overrides; null when an id repeats. */
  exclusions: number[][] | null;
  overrides: number[][] | null;
  /** Per household policy: its generated function (see cel-codegen.ts). */
  fns: (PolicyFunction | null)[];
  /** Entry layouts by household size. */
  layouts: (Layout | undefined)[];
  /** The generated function deciding all member policies for one member (null: closures only). */
  memberFn: MemberFunction | null;
  /** How many household-level condition values memberFn keeps per household. */
  memoCount: number;
}

/** Decisions of one household without reasons, in reusable typed arrays (one entry per decision, in screenHousehold's order). */
export class CompactScreening {
  household!: Household;
  date = '';
  plan!: DatePlan;
  count = 0;
  /** Policy (index into the plan) and member (-1 for the household) of each entry; shared, read-only. */
  policy: Int32Array = new Int32Array(0);
  member: Int16Array = new Int16Array(0);
  /** Where each policy's entries start. */
  offsets: Int32Array = new Int32Array(0);
  /** After exclusions and overrides: INELIGIBLE, ELIGIBLE or UNDETERMINED. */
  status = new Uint8Array(64);
  outcome = new Uint8Array(64);
  /** The amount row used (-1 none). */
  row = new Int16Array(64);
  /** Amount in fen; NaN when the decision has none or it is a percentage. */
  fen = new Float64Array(64);
  /** Set by an exclusion or override. */
  demoted = new Uint8Array(64);
  /** Undetermined entries and the facts each misses. */
  missingAt: number[] = [];
  missingFacts: FactRef[][] = [];
  conflicts = 0;

  /** The policy of entry i. */
  policyAt(i: number): CompiledPolicy {
    return (this.plan.policies[this.policy[i] as number] as PolicyPlan).policy;
  }

  missingOf(i: number): FactRef[] {
    const k = this.missingAt.indexOf(i);
    return k < 0 ? [] : this.missingFacts[k] as FactRef[];
  }

  reset(n: number): void {
    if (n > this.status.length) {
      const size = Math.max(n, this.status.length * 2);
      this.status = new Uint8Array(size);
      this.outcome = new Uint8Array(size);
      this.row = new Int16Array(size);
      this.fen = new Float64Array(size);
      this.demoted = new Uint8Array(size);
    }
    this.count = n;
    const row = this.row, fen = this.fen, demoted = this.demoted;
    for (let i = 0; i < n; i++) {
      row[i] = -1;
      fen[i] = NaN;
      demoted[i] = 0;
    }
    if (this.missingAt.length > 0) {
      this.missingAt.length = 0;
      this.missingFacts.length = 0;
    }
    this.conflicts = 0;
  }

  setMissing(i: number, facts: FactRef[]): void {
    this.missingAt.push(i);
    this.missingFacts.push(facts);
  }
}

export interface FastScreenerOptions {
  local?: LocalFacts;
  /** Generate a function per policy (default true); false uses the closures only (for tests and comparison). */
  generate?: boolean;
}

/** A thrown value the closure or the interpreter raised, kept aside without allocation. */
const THREW = Symbol('threw');

class Env implements MemberEnv {
  m: unknown[] = [];
  hc: unknown[] = [];
  h: unknown[] = [];
  iter: unknown[] = [];
  local: Record<string, unknown>;
  date = '';
  year = 0n;
  error: unknown;
  scope = new HouseholdScope();
  ms: MemberScope | null = null;
  memberIndex = -1;
  private memberVals: unknown[][] = [];
  /** The household (by epoch) each member's values belong to; reset on first use. */
  private memberEpoch: number[] = [];
  private epoch = 0;
  private none: unknown[];
  private readonly memberDerivers: MemberDeriver[];
  private readonly householdDerivers: HouseholdDeriver[];
  /** Per household: results of household-only conditions (-1 unknown, 0 false, 1 true). */
  cache: Int8Array;

  constructor(private readonly screener: FastScreener, local: LocalFacts) {
    this.local = local as Record<string, unknown>;
    this.none = new Array(screener.memberKeys.length).fill(undefined);
    this.cache = new Int8Array(screener.exprs.length);
    this.memberDerivers = screener.memberKeys.map(memberDeriver);
    this.householdDerivers = screener.householdKeys.map(householdDeriver);
  }

  reset(household: Household, plan: DatePlan): void {
    this.scope.reset(household, plan.parts);
    this.date = plan.date;
    this.year = plan.year;
    const hn = this.screener.householdKeys.length;
    if (this.h.length !== hn) this.h = new Array(hn);
    this.h.fill(UNSET);
    this.epoch++;
    this.cache.fill(-1);
    const hc = this.hc;
    for (let i = 0; i < plan.memoCount; i++) hc[i] = UNSET;
    this.useHousehold();
  }

  useHousehold(): void {
    this.m = this.none;
    this.ms = null;
    this.memberIndex = -1;
  }

  useMember(i: number): void {
    let vals = this.memberVals[i];
    if (!vals) vals = this.memberVals[i] = new Array(this.screener.memberKeys.length);
    if (this.memberEpoch[i] !== this.epoch) {
      vals.fill(UNSET);
      this.memberEpoch[i] = this.epoch;
    }
    this.m = vals;
    this.ms = this.scope.member(i);
    this.memberIndex = i;
  }

  deriveMember(slot: number): unknown {
    const v = this.ms ? (this.memberDerivers[slot] as MemberDeriver)(this.ms) : undefined;
    this.m[slot] = v;
    return v;
  }

  deriveHousehold(slot: number): unknown {
    const v = (this.householdDerivers[slot] as HouseholdDeriver)(this.scope);
    this.h[slot] = v;
    return v;
  }

  value(ref: Ref): unknown {
    switch (ref.scope) {
      case 'member': {
        if (!this.ms) return undefined;
        const v = this.m[ref.slot];
        return v === UNSET ? this.deriveMember(ref.slot) : v;
      }
      case 'household': {
        const v = this.h[ref.slot];
        return v === UNSET ? this.deriveHousehold(ref.slot) : v;
      }
      case 'local':
        return this.local[ref.key];
    }
  }

  /** The context screenHousehold would give the interpreter, reduced to what the expression can read. */
  context(x: Expr): EvalContext {
    if (!x.plain) {
      return { member: this.ms ? { ...this.ms.all() } : {}, household: { ...this.scope.all() }, local: this.local, date: this.date, year: this.year };
    }
    const member: Record<string, unknown> = {};
    const household: Record<string, unknown> = {};
    for (const ref of x.refs) {
      if (ref.scope === 'local') continue;
      const v = this.value(ref);
      if (v !== undefined) (ref.scope === 'member' ? member : household)[ref.key] = v;
    }
    return { member, household, local: this.local, date: this.date, year: this.year };
  }
}

export class FastScreener {
  readonly memberKeys: string[] = [];
  readonly householdKeys: string[] = [];
  readonly exprs: Expr[] = [];
  private readonly byExpression = new Map<CompiledExpression, Expr>();
  private readonly plans = new Map<string, DatePlan>();
  private readonly env: Env;
  private readonly local: LocalFacts;
  /** Expressions the closure compiler left to the interpreter, with why (for the benchmark's report). */
  readonly interpreted: { source: string; why: string }[] = [];

  /** Generate a function per policy for the common case (on by default; off leaves only the closures). */
  private readonly generate: boolean;
  private readonly slotAllocator = {
    member: (key: string) => slotOf(this.memberKeys, key),
    household: (key: string) => slotOf(this.householdKeys, key),
  };

  constructor(readonly packs: readonly CompiledPack[], options: FastScreenerOptions = {}) {
    this.local = options.local ?? {};
    this.generate = options.generate ?? true;
    for (const pack of packs) {
      for (const policy of pack.policies) {
        for (const c of policy.conditions) this.expr(c.expression);
        for (const a of policy.amounts) {
          if (a.when) this.expr(a.when);
          if (a.value.type === 'formula') this.expr(a.value.expression);
        }
      }
    }
    this.env = new Env(this, this.local);
  }

  private expr(expression: CompiledExpression): Expr {
    const known = this.byExpression.get(expression);
    if (known) return known;
    const slots = this.slotAllocator;
    let closure: Closure | null = null;
    const plain = plainAccess(parseExpression(expression.source));
    try {
      closure = compileClosure(expression.source, slots).run;
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      this.interpreted.push({ source: expression.source, why: error.message });
    }
    const refs = expression.facts.map((f): Ref => {
      const described = describeFact(f, undefined);
      return {
        scope: f.scope, key: f.key,
        slot: f.scope === 'member' ? slots.member(f.key) : f.scope === 'household' ? slots.household(f.key) : -1,
        fact: described.fact, label: described.label, money: f.key.endsWith('Fen'),
      };
    });
    const x: Expr = {
      index: this.exprs.length, source: expression.source, facts: expression.facts, refs, closure, plain,
      householdOnly: plain && closure !== null && refs.every((r) => r.scope !== 'member'),
      interp: expression,
    };
    this.exprs.push(x);
    this.byExpression.set(expression, x);
    return x;
  }

  private last: { county: string; date: string; plan: DatePlan } | null = null;

  private plan(county: string, date: string): DatePlan {
    const last = this.last;
    if (last && last.county === county && last.date === date) return last.plan;
    const plan = this.planFor(county, date);
    this.last = { county, date, plan };
    return plan;
  }

  private planFor(county: string, date: string): DatePlan {
    const key = `${county}\u0000${date}`;
    const known = this.plans.get(key);
    if (known) return known;
    if (!isRealDate(date)) throw new DomainError('invalid_input', `日期“${date}”无效，应为 YYYY-MM-DD`);
    const selected = selectPacks(this.packs, county, date);
    const policies: PolicyPlan[] = [];
    for (const pack of selected) {
      for (const policy of pack.policies) {
        const conditions = policy.conditions.map((c) => ({ expr: this.expr(c.expression), label: c.label, citation: c.citation }));
        const lead = conditions.findIndex((c) => !c.expr.householdOnly);
        policies.push({
          index: policies.length,
          policy,
          household: policy.source.subject === 'household',
          conditions,
          lead: lead < 0 ? conditions.length : lead,
          amounts: policy.amounts.map((row) => ({
            row,
            when: row.when ? this.expr(row.when) : null,
            formula: row.value.type === 'formula' ? this.expr(row.value.expression) : null,
          })),
        });
      }
    }
    const plan: DatePlan = {
      date, parts: dateParts(date), year: BigInt(date.slice(0, 4)), selected, policies,
      byId: new Map(selected.flatMap((p) => [...p.byId])),
      outOfForce: policies.map((p) => validityReason(p.policy, date)),
      paramValue: policies.map((p) => new Map([...p.policy.parameters].map(([name, values]) => [name, parameterOn(values, date)]))),
      interactions: policies.some((p) => (p.policy.source.excludedBy?.length ?? 0) > 0 || (p.policy.source.overrides?.length ?? 0) > 0),
      slots: policies.some((p) => p.policy.source.slot !== undefined),
      fns: [],
      layouts: [],
      memberFn: null,
      memoCount: 0,
      involved: new Uint8Array(policies.length),
      exclusions: null,
      overrides: null,
      slotted: Uint8Array.from(policies, (p) => (p.policy.source.slot ? 1 : 0)),
    };
    const position = new Map(policies.map((p) => [p.policy.id, p.index]));
    if (position.size === policies.length) {
      const positions = (refs: { policy: string }[] | undefined) => (refs ?? []).map((r) => position.get(r.policy)).filter((q): q is number => q !== undefined);
      plan.exclusions = policies.map((p) => positions(p.policy.source.excludedBy));
      plan.overrides = policies.map((p) => positions(p.policy.source.overrides));
    }
    const referenced = new Set(policies.flatMap((p) => [...(p.policy.source.excludedBy ?? []), ...(p.policy.source.overrides ?? [])].map((r) => r.policy)));
    policies.forEach((p) => {
      const s = p.policy.source;
      if ((s.excludedBy?.length ?? 0) > 0 || (s.overrides?.length ?? 0) > 0 || referenced.has(p.policy.id)) plan.involved[p.index] = 1;
    });
    plan.fns = policies.map((p) => (this.generate && p.household ? this.policyFunction(plan, p) : null));
    if (this.generate) this.memberFunction(plan);
    if (this.plans.size > 1000) this.plans.clear();
    this.plans.set(key, plan);
    return plan;
  }

  private memberFunction(plan: DatePlan): void {
    const memo = new Map<Expr, number>();
    const policies: PlanPolicy[] = plan.policies.filter((p) => !p.household).map((p) => ({
      position: p.index,
      outOfForce: plan.outOfForce[p.index] !== null,
      conditions: p.conditions.map((c) => ({
        source: c.expr.source, closure: c.expr.closure,
        memo: c.expr.householdOnly ? memo.get(c.expr) ?? memo.set(c.expr, memo.size).size - 1 : -1,
      })),
      rows: this.rowPlans(plan, p),
    }));
    plan.memberFn = compileMemberFunction(policies, this.slotAllocator);
    plan.memoCount = memo.size;
  }

  private rowPlans(plan: DatePlan, p: PolicyPlan): RowPlan[] {
    return p.amounts.map((a): RowPlan => {
      const when = a.when ? { source: a.when.source, closure: a.when.closure } : null;
      const value = a.row.value;
      switch (value.type) {
        case 'fixed': return { when, kind: 'fen', fen: value.fen };
        case 'percent': return { when, kind: 'none' };
        case 'formula': return { when, kind: 'formula', formula: { source: (a.formula as Expr).source, closure: (a.formula as Expr).closure } };
        case 'param': {
          const v = plan.paramValue[p.index]?.get(value.name);
          if (!v) return { when, kind: 'outcome', outcome: Outcome.NotYetInForce };
          if (v.fen === null && v.percent === null) return { when, kind: 'outcome', outcome: Outcome.Stopped };
          return v.fen === null ? { when, kind: 'none' } : { when, kind: 'fen', fen: v.fen };
        }
      }
    });
  }

  private policyFunction(plan: DatePlan, p: PolicyPlan): PolicyFunction {
    const rows = this.rowPlans(plan, p);
    const conditions = p.conditions.map((c) => ({ source: c.expr.source, closure: c.expr.closure }));
    return compilePolicyFunction(conditions, rows, this.slotAllocator);
  }

  // ---- evaluation -------------------------------------------------------------------------------------------------

  /** Runs an expression: its value, or THREW with env.error set. */
  private run(x: Expr): unknown {
    const env = this.env;
    if (x.closure) {
      try {
        const v = x.closure(env);
        if (v !== ERR) return v;
        env.error = ERR;
        return THREW;
      } catch (error) {
        if (error !== FALLBACK) throw error;
      }
    }
    try {
      return x.interp.run(env.context(x));
    } catch (error) {
      env.error = error;
      return THREW;
    }
  }

  private absent(x: Expr): FactRef[] {
    const out: FactRef[] = [];
    for (let i = 0; i < x.refs.length; i++) {
      if (this.env.value(x.refs[i] as Ref) === undefined) out.push(x.facts[i] as FactRef);
    }
    return out;
  }

  /** The error screenHousehold would raise for an expression that failed with every fact present. */
  private failure(x: Expr, where: string, what: (message: string) => string): DomainError {
    let error = this.env.error;
    if (error === ERR) {
      // The closure only says "throws": ask the interpreter for its message.
      try {
        x.interp.run(this.env.context(x));
        error = new Error('closure and interpreter disagree');
      } catch (e) {
        error = e;
      }
    }
    if (error instanceof DomainError) return error;
    return new DomainError('invalid_pack', `${where}: ${what((error as Error).message.split('\n')[0] ?? '')}`);
  }

  /** evaluate.ts evaluateBool: true / false, or null with the missing facts in this.missing. */
  private bool(x: Expr, where: string): boolean | null {
    const cache = this.env.cache;
    if (x.householdOnly) {
      const c = cache[x.index] as number;
      if (c >= 0) return c === 1;
    }
    const v = this.run(x);
    if (typeof v === 'boolean') {
      if (x.householdOnly) cache[x.index] = v ? 1 : 0;
      return v;
    }
    const missing = this.absent(x);
    if (missing.length > 0) {
      this.missing = missing;
      return null;
    }
    if (v !== THREW) throw new DomainError('invalid_pack', `${where}: \`${x.source}\` did not yield a bool`);
    throw this.failure(x, where, (m) => `\`${x.source}\` failed: ${m}`);
  }

  private missing: FactRef[] = [];

  // ---- compact screening ------------------------------------------------------------------------------------------

  /** Screens one household into `out` (reused between calls): decisions without reasons. */
  screenCompact(household: Household, date: string, out: CompactScreening = new CompactScreening()): CompactScreening {
    const plan = this.plan(household.area.county, date);
    const env = this.env;
    env.reset(household, plan);
    const members = household.members.length;
    const layout = this.layout(plan, members);
    out.reset(layout.policy.length);
    out.policy = layout.policy;
    out.member = layout.member;
    out.offsets = layout.offsets;
    out.household = household;
    out.date = date;
    out.plan = plan;
    if (plan.memberFn) this.screenGenerated(plan, layout, out, members);
    else this.screenWithClosures(plan, out, members);
    if (plan.interactions) this.interactCompact(out);
    if (plan.slots) out.conflicts = this.conflictCount(out);
    return out;
  }

  /** The generated member function for every member, then the entries it left (and household policies) in entry order. */
  private screenGenerated(plan: DatePlan, layout: Layout, out: CompactScreening, members: number): void {
    const env = this.env;
    const policies = plan.policies;
    const off = layout.offsets;
    for (let k = 0; k < policies.length; k++) if ((policies[k] as PolicyPlan).household) out.outcome[off[k] as number] = OUTCOME_UNANSWERED;
    const fn = plan.memberFn as MemberFunction;
    for (let m = 0; m < members; m++) {
      env.useMember(m);
      fn(env, out, off, m);
    }
    const outcome = out.outcome;
    for (let i = 0; i < out.count; i++) {
      if (outcome[i] !== OUTCOME_UNANSWERED) continue;
      const p = policies[out.policy[i] as number] as PolicyPlan;
      const m = out.member[i] as number;
      if (m < 0) {
        env.useHousehold();
        const f = plan.outOfForce[p.index] ? null : plan.fns[p.index];
        const r = f ? f(env, out, i) : -1;
        if (r >= 0) {
          outcome[i] = r;
          out.status[i] = r === Outcome.Eligible ? ELIGIBLE : INELIGIBLE;
          continue;
        }
      } else env.useMember(m);
      this.decideCompact(plan, p, out, i, m, 0, null);
    }
  }

  /** Policy by policy, member by member, with the closures only (generate: false). */
  private screenWithClosures(plan: DatePlan, out: CompactScreening, members: number): void {
    const env = this.env;
    let i = 0;
    const policies = plan.policies;
    for (let k = 0; k < policies.length; k++) {
      const p = policies[k] as PolicyPlan;
      if (p.household) {
        env.useHousehold();
        this.decideCompact(plan, p, out, i++, -1, 0, null);
        continue;
      }
      // Leading conditions that read no member fact are the same for every member: decide them once.
      let lead = 0;
      let missing: FactRef[] | null = null;
      let failed = plan.outOfForce[p.index] !== null;
      if (!failed) {
        env.useHousehold();
        for (; lead < p.lead; lead++) {
          const r = this.bool((p.conditions[lead] as PolicyPlan['conditions'][number]).expr, p.policy.id);
          if (r === false) {
            failed = true;
            break;
          }
          if (r === null) missing = missing ? appendTo(missing, this.missing) : this.missing;
        }
      }
      if (failed) {
        const outcome = plan.outOfForce[p.index] ? Outcome.OutOfForce : Outcome.ConditionFailed;
        for (let m = 0; m < members; m++, i++) {
          out.outcome[i] = outcome;
          out.status[i] = INELIGIBLE;
        }
        continue;
      }
      for (let m = 0; m < members; m++, i++) {
        env.useMember(m);
        this.decideCompact(plan, p, out, i, m, lead, missing);
      }
    }
  }

  /** Which policy and member each entry of a household of this size is: the same for every such household. */
  private layout(plan: DatePlan, members: number): Layout {
    const known = plan.layouts[members];
    if (known) return known;
    const policy: number[] = [];
    const member: number[] = [];
    const offsets: number[] = [];
    for (const p of plan.policies) {
      offsets.push(policy.length);
      if (p.household) {
        policy.push(p.index);
        member.push(-1);
      } else {
        for (let m = 0; m < members; m++) {
          policy.push(p.index);
          member.push(m);
        }
      }
    }
    return (plan.layouts[members] = { policy: Int32Array.from(policy), member: Int16Array.from(member), offsets: Int32Array.from(offsets) });
  }

  private decideCompact(plan: DatePlan, p: PolicyPlan, out: CompactScreening, i: number, _member: number, from: number, missing: FactRef[] | null): void {
    const outcome = this.outcomeOf(plan, p, out, i, from, missing);
    out.outcome[i] = outcome;
    out.status[i] = outcome === Outcome.Eligible ? ELIGIBLE
      : outcome === Outcome.MissingForConditions || outcome === Outcome.MissingForAmount ? UNDETERMINED : INELIGIBLE;
  }

  /** evaluate.ts decide() without reasons; sets the row, amount and missing facts of entry i. (No closures here: tsx wraps each in __name.) */
  private outcomeOf(plan: DatePlan, p: PolicyPlan, out: CompactScreening, i: number, from: number, decided: FactRef[] | null): Outcome {
    if (plan.outOfForce[p.index]) return Outcome.OutOfForce;
    // The leading conditions' missing facts are shared by every member: copy before adding to them.
    let missing = decided === null ? null : decided.slice();
    const id = p.policy.id;
    const conditions = p.conditions;
    for (let c = from; c < conditions.length; c++) {
      const r = this.bool((conditions[c] as PolicyPlan['conditions'][number]).expr, id);
      if (r === false) return Outcome.ConditionFailed;
      if (r === null) missing = missing ? appendTo(missing, this.missing) : this.missing;
    }
    if (missing) {
      out.setMissing(i, dedupe(missing));
      return Outcome.MissingForConditions;
    }
    const amounts = p.amounts;
    if (amounts.length === 0) return Outcome.Eligible;
    for (let r = 0; r < amounts.length; r++) {
      const a = amounts[r] as AmountPlan;
      if (a.when) {
        const applies = this.bool(a.when, id);
        if (applies === null) {
          out.setMissing(i, dedupe(this.missing));
          return Outcome.MissingForAmount;
        }
        if (!applies) continue;
      }
      out.row[i] = r;
      const value = a.row.value;
      switch (value.type) {
        case 'fixed':
          out.fen[i] = value.fen;
          return Outcome.Eligible;
        case 'percent':
          return Outcome.Eligible;
        case 'formula': {
          const fen = this.formula(a.formula as Expr, id);
          if (fen === null) {
            out.setMissing(i, dedupe(this.missing));
            return Outcome.MissingForAmount;
          }
          out.fen[i] = fen;
          return Outcome.Eligible;
        }
        case 'param': {
          const v = plan.paramValue[p.index]?.get(value.name);
          if (!v) return Outcome.NotYetInForce;
          if (v.fen === null && v.percent === null) return Outcome.Stopped;
          if (v.fen !== null) out.fen[i] = v.fen;
          return Outcome.Eligible;
        }
      }
    }
    return Outcome.NoAmountRow;
  }

  /** An amount formula in fen, or null with the missing facts in this.missing. */
  private formula(x: Expr, policyId: string): number | null {
    const v = this.run(x);
    if (v !== THREW) return Number(v);
    const missing = this.absent(x);
    if (missing.length > 0) {
      this.missing = missing;
      return null;
    }
    throw this.failure(x, policyId, (m) => `amount formula failed: ${m}`);
  }

  /** resolve-interactions.ts applyExclusionsAndOverrides, on statuses. */
  private interactCompact(out: CompactScreening): void {
    // A demotion needs two eligible decisions of policies that exclude or override one another.
    const involved = out.plan.involved;
    let n = 0;
    for (let i = 0; i < out.count && n < 2; i++) if (out.status[i] === ELIGIBLE && involved[out.policy[i] as number] === 1) n++;
    if (n < 2) return;
    const demote = this.demote;
    demote.length = 0;
    const plan = out.plan;
    if (plan.exclusions) {
      // Policy ids are unique in the plan: find the other decision of the same subject by position.
      const status = out.status;
      for (let i = 0; i < out.count; i++) {
        const p = out.policy[i] as number;
        if (status[i] !== ELIGIBLE || involved[p] !== 1) continue;
        const m = out.member[i] as number;
        for (const q of plan.exclusions[p] as number[]) {
          const j = entryOf(plan, out.offsets, q, m);
          if (j >= 0 && status[j] === ELIGIBLE) demote.push(i);
        }
        for (const q of (plan.overrides as number[][])[p] as number[]) {
          const j = entryOf(plan, out.offsets, q, m);
          if (j >= 0 && status[j] === ELIGIBLE) demote.push(j);
        }
      }
    } else this.demoteByKey(out, demote);
    for (const i of demote) {
      out.status[i] = INELIGIBLE;
      out.demoted[i] = 1;
      out.fen[i] = NaN;
    }
  }

  private readonly demote: number[] = [];
  private readonly scratch = new CompactScreening();

  /** The same, keyed by policy id and subject exactly as resolve-interactions.ts keys them (for plans with a repeated id). */
  private demoteByKey(out: CompactScreening, demote: number[]): void {
    const eligible = new Map<string, number>();
    for (let i = 0; i < out.count; i++) if (out.status[i] === ELIGIBLE) eligible.set(`${out.policyAt(i).id}|${out.member[i]}`, i);
    for (const i of eligible.values()) {
      const source = out.policyAt(i).source;
      for (const ex of source.excludedBy ?? []) if (eligible.has(`${ex.policy}|${out.member[i]}`)) demote.push(i);
      for (const ov of source.overrides ?? []) {
        const other = eligible.get(`${ov.policy}|${out.member[i]}`);
        if (other !== undefined) demote.push(other);
      }
    }
  }

  private conflictCount(out: CompactScreening): number {
    const slotted = out.plan.slotted;
    let n = 0;
    for (let i = 0; i < out.count && n < 2; i++) if (out.status[i] === ELIGIBLE && slotted[out.policy[i] as number] === 1) n++;
    if (n < 2) return 0;
    const groups = new Map<string, number>();
    for (let i = 0; i < out.count; i++) {
      const slot = out.policyAt(i).source.slot;
      if (out.status[i] !== ELIGIBLE || !slot) continue;
      const key = `${slot}|${out.member[i]}`;
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
    let conflicts = 0;
    for (const c of groups.values()) if (c > 1) conflicts++;
    return conflicts;
  }

  /** The full result of a compact screening, as screenHousehold(..., { explain: false }) gives it. */
  expand(c: CompactScreening): ScreeningResult {
    const plan = c.plan;
    const decisions: Decision[] = [];
    for (let i = 0; i < c.count; i++) {
      const p = plan.policies[c.policy[i] as number] as PolicyPlan;
      const m = c.member[i] as number;
      const d = baseDecision(p.policy, m < 0 ? null : { index: m, name: c.household.members[m]?.name ?? '' });
      decisions.push(d);
      switch (c.outcome[i] as Outcome) {
        case Outcome.ConditionFailed:
          ineligible(d);
          break;
        case Outcome.OutOfForce:
          ineligible(d, validityReason(p.policy, plan.date) ?? undefined);
          break;
        case Outcome.MissingForConditions:
        case Outcome.MissingForAmount:
          undetermined(d, c.missingOf(i));
          break;
        case Outcome.NotYetInForce:
        case Outcome.Stopped:
        case Outcome.NoAmountRow:
          ineligible(d, stopReason(p, c.outcome[i] as Outcome, plan, c.row[i]));
          break;
        case Outcome.Eligible: {
          const r = c.row[i] as number;
          if (r >= 0) {
            const amount = amountFor(p, r, c.fen[i] as number, plan);
            d.amount = amount;
            addCitation(d, amount.citation);
          }
          break;
        }
      }
    }
    applyExclusionsAndOverrides(decisions, plan.byId);
    return {
      household: c.household.id,
      date: plan.date,
      packs: plan.selected.map((p) => ({ id: p.manifest.id, version: p.manifest.version })),
      decisions,
      conflicts: findConflicts(decisions, plan.byId),
    };
  }

  // ---- full screening ---------------------------------------------------------------------------------------------

  /** screenHousehold(packs, household, date, { explain, local }) with this screener's packs and local facts. */
  screen(household: Household, date: string, options: { explain?: Explain } = {}): ScreeningResult {
    if (!isRealDate(date)) throw new DomainError('invalid_input', `日期“${date}”无效，应为 YYYY-MM-DD`);
    const explain = options.explain ?? true;
    if (!explain) return this.expand(this.screenCompact(household, date, this.scratch));
    const plan = this.plan(household.area.county, date);
    const env = this.env;
    env.reset(household, plan);
    const decisions: Decision[] = [];
    for (const p of plan.policies) {
      if (p.household) {
        env.useHousehold();
        decisions.push(this.decide(plan, p, null, explain));
      } else {
        for (let index = 0; index < household.members.length; index++) {
          env.useMember(index);
          decisions.push(this.decide(plan, p, { index, name: (household.members[index] as Household['members'][number]).name }, explain));
        }
      }
    }
    applyExclusionsAndOverrides(decisions, plan.byId);
    if (explain === 'decisive') keepDecisiveReasons(decisions);
    return {
      household: household.id,
      date,
      packs: plan.selected.map((p) => ({ id: p.manifest.id, version: p.manifest.version })),
      decisions,
      conflicts: findConflicts(decisions, plan.byId),
    };
  }

  /** evaluate.ts decide(); 'decisive' builds only the first unmet reason of a decision that fails a condition. */
  private decide(plan: DatePlan, p: PolicyPlan, member: Decision['member'], mode: true | 'decisive'): Decision {
    const decision = baseDecision(p.policy, member);
    const outOfForce = plan.outOfForce[p.index];
    if (outOfForce) return ineligible(decision, { ...outOfForce, facts: [] });
    if (mode === 'decisive') {
      const whyNot = this.firstUnmetCondition(p);
      if (whyNot) {
        decision.reasons.push(whyNot);
        return ineligible(decision);
      }
    }
    let missing: FactRef[] | null = null;
    let failed = false;
    for (const c of p.conditions) {
      const r = this.bool(c.expr, p.policy.id);
      decision.reasons.push(this.reason(c.label, r, c.expr, c.citation));
      if (r === false) failed = true;
      else if (r === null) missing = missing ? appendTo(missing, this.missing) : this.missing;
    }
    if (failed) return ineligible(decision);
    if (missing) return undetermined(decision, missing);
    for (let r = 0; r < p.amounts.length; r++) {
      const a = p.amounts[r] as AmountPlan;
      if (a.when) {
        const applies = this.bool(a.when, p.policy.id);
        if (applies === null) return undetermined(decision, this.missing);
        if (!applies) continue;
      }
      let fen = NaN;
      if (a.row.value.type === 'fixed') fen = a.row.value.fen;
      else if (a.row.value.type === 'formula') {
        const v = this.formula(a.formula as Expr, p.policy.id);
        if (v === null) return undetermined(decision, this.missing);
        fen = v;
      } else if (a.row.value.type === 'param') {
        const v = plan.paramValue[p.index]?.get(a.row.value.name);
        if (!v) return ineligible(decision, stopReason(p, Outcome.NotYetInForce, plan, r));
        if (v.fen === null && v.percent === null) return ineligible(decision, stopReason(p, Outcome.Stopped, plan, r));
      }
      const amount = amountFor(p, r, fen, plan);
      decision.amount = amount;
      addCitation(decision, amount.citation);
      for (const reason of decision.reasons) addCitation(decision, reason.citation);
      return decision;
    }
    if (p.amounts.length > 0) return ineligible(decision, stopReason(p, Outcome.NoAmountRow, plan));
    for (const reason of decision.reasons) addCitation(decision, reason.citation);
    return decision;
  }

  /** The reason of the policy's first condition that is not met, or null when none fails. */
  private firstUnmetCondition(p: PolicyPlan): Reason | null {
    for (const c of p.conditions) {
      if (this.bool(c.expr, p.policy.id) === false) return this.reason(c.label, false, c.expr, c.citation);
    }
    return null;
  }

  /** evaluate.ts reasonFor(), with describeFact()'s label lookup done once per fact. */
  private reason(label: string, met: boolean | null, x: Expr, citation: SourceCitation): Reason {
    const facts: FactUsed[] = new Array(x.refs.length);
    for (let i = 0; i < x.refs.length; i++) {
      const ref = x.refs[i] as Ref;
      facts[i] = { fact: ref.fact, label: ref.label, value: formatFactValue(ref.money, this.env.value(ref)) };
    }
    return { label, met, facts, citation };
  }
}


function slotOf(keys: string[], key: string): number {
  const i = keys.indexOf(key);
  if (i >= 0) return i;
  keys.push(key);
  return keys.length - 1;
}

/** Appends b to a (an array the caller owns) and returns a. */
function appendTo(a: FactRef[], b: FactRef[]): FactRef[] {
  for (const r of b) a.push(r);
  return a;
}

/** The entry of policy q for member m (-1: the household), or -1 when q decides for another kind of subject. */
function entryOf(plan: DatePlan, offsets: Int32Array, q: number, m: number): number {
  const household = (plan.policies[q] as PolicyPlan).household;
  if (household) return m < 0 ? offsets[q] as number : -1;
  return m >= 0 ? (offsets[q] as number) + m : -1;
}

/** The refs without repeats, first occurrence kept (as evaluate.ts undetermined() does). */
function dedupe(refs: FactRef[]): FactRef[] {
  if (refs.length < 2) return refs;
  const out: FactRef[] = [];
  for (const r of refs) {
    let seen = false;
    for (const o of out) if (o.scope === r.scope && o.key === r.key) seen = true;
    if (!seen) out.push(r);
  }
  return out;
}







/** Why a policy whose conditions hold pays nothing: no amount row applies, or the row's parameter is not in force. */
function stopReason(p: PolicyPlan, outcome: Outcome, plan: DatePlan, row = -1): Reason {
  if (outcome === Outcome.NoAmountRow) return noAmountRowReason(p.policy);
  const value = p.amounts[row]?.row.value;
  const values = value?.type === 'param' ? p.policy.parameters.get(value.name) ?? [] : [];
  return parameterStopReason(p.policy, values, plan.date) as Reason;
}

function amountFor(p: PolicyPlan, r: number, fen: number, plan: DatePlan): DecisionAmount {
  const row = (p.amounts[r] as AmountPlan).row;
  const make = (f: number | null, percent: number | null, citation: SourceCitation): DecisionAmount => decisionAmount(row, f, percent, citation);
  switch (row.value.type) {
    case 'fixed': return make(row.value.fen, null, row.citation);
    case 'percent': return make(null, row.value.percent, row.citation);
    case 'formula': return make(fen, null, row.citation);
    case 'param': {
      const v = plan.paramValue[p.index]?.get(row.value.name) as ParameterValue;
      return make(v.fen, v.percent, v.citation);
    }
  }
}
