/**
 * @module A policy's conditions and amount rows as one generated JS function, for the batch screener's common case.
 *
 * The generated function evaluates strictly: every fact it reads must be present and of the expected type, and
 * every operation one whose result is certain. Then it returns the decision's outcome code (and sets the amount).
 * In any other case (a missing fact, an error CEL would absorb or raise, anything unusual) a sub-expression yields
 * U, U propagates, and the function returns -1: the screener then decides that entry with the closure path
 * (cel-closure.ts), which follows CEL to the letter. So the generated code only has to be right where it answers,
 * and where it answers CEL's logic is plain boolean logic. Nothing is thrown on the way (a throw costs microseconds).
 *
 * Generated source contains no text from the pack: literals are JSON-encoded or passed in as constants, facts are
 * slot numbers.
 */
import {
  ERR, FALLBACK, UNSET, Unsupported, arithmetic, checkedInt, compare, equal, inList, parseExpression,
  type Closure, type ClosureEnv, type Node, type SlotAllocator,
} from './cel-closure.ts';

/** The value of a sub-expression the generated code cannot answer (a missing fact, an error, anything unusual). */
const U: { readonly kind: 'unanswered' } = Object.freeze({ kind: 'unanswered' });

/** FALLBACK (thrown by the shared helpers) becomes U; anything else is a real error. */
function unanswered(error: unknown): typeof U {
  if (error === FALLBACK) return U;
  throw error;
}

// No closures are created per call here: under tsx each one would cost a defineProperty (keepNames).
const HELPERS = {
  bool: (v: unknown) => (typeof v === 'boolean' ? v : U),
  equal(x: unknown, y: unknown): unknown {
    if (x === U || y === U) return U;
    try {
      return equal(x, y);
    } catch (error) {
      return unanswered(error);
    }
  },
  compare(x: unknown, y: unknown): unknown {
    if (x === U || y === U) return U;
    try {
      return compare(x, y);
    } catch (error) {
      return unanswered(error);
    }
  },
  inList(x: unknown, xs: unknown): unknown {
    if (x === U || xs === U) return U;
    try {
      return inList(x, xs);
    } catch (error) {
      return unanswered(error);
    }
  },
  arith(op: string, x: unknown, y: unknown): unknown {
    if (x === U || y === U) return U;
    try {
      return arithmetic(op, x, y);
    } catch (error) {
      return unanswered(error);
    }
  },
  neg(v: unknown): unknown {
    if (typeof v === 'number') return -v;
    if (typeof v !== 'bigint') return U;
    try {
      return checkedInt(-v);
    } catch (error) {
      return unanswered(error);
    }
  },
  size: (v: unknown) => (Array.isArray(v) ? BigInt(v.length) : U),
  /**
   * exists (decisive = true) or all (decisive = false) over a list, the predicate compiled once. An item the predicate
   * cannot answer makes the whole U, where CEL might still absorb it: the closure path then decides.
   */
  quantify(predicate: (e: ClosureEnv, v: unknown) => unknown, xs: unknown, e: ClosureEnv, decisive: boolean): unknown {
    if (!Array.isArray(xs)) return U;
    for (let i = 0; i < xs.length; i++) {
      const v = predicate(e, xs[i]);
      if (v === decisive) return decisive;
      if (v !== !decisive) return U;
    }
    return !decisive;
  },
  local: (e: ClosureEnv, key: string) => (Object.hasOwn(e.local, key) ? e.local[key] : undefined),
  /** An expression the generator does not inline: its closure; null when only the interpreter runs it. */
  run(c: Closure | null, e: ClosureEnv): unknown {
    if (!c) return U;
    try {
      const v = c(e);
      return v === ERR ? U : v;
    } catch (error) {
      return unanswered(error);
    }
  },
};

export interface ExpressionSource {
  source: string;
  /** Its closure, for expressions (or parts) the generator does not inline; null when only the interpreter runs it. */
  closure: Closure | null;
}

/** One amount row as the generated function settles it. */
export type RowPlan =
  | { when: ExpressionSource | null; kind: 'fen'; fen: number }
  | { when: ExpressionSource | null; kind: 'none' }
  | { when: ExpressionSource | null; kind: 'outcome'; outcome: number }
  | { when: ExpressionSource | null; kind: 'formula'; formula: ExpressionSource };

/** (env, out, i) → outcome code (sets out.row[i] and out.fen[i] when it pays), or -1 to decide it the slow way. */
export type PolicyFunction = (e: ClosureEnv, out: { row: Int16Array; fen: Float64Array }, i: number) => number;

export const OUTCOME_CONDITION_FAILED = 0;
export const OUTCOME_ELIGIBLE = 1;
export const OUTCOME_NO_AMOUNT_ROW = 6;

class Emitter {
  temps = 0;
  maxTemps = 0;

  /** variable: the iteration variable of an exists/all predicate being emitted (its value is the parameter v). */
  constructor(
    private readonly slots: SlotAllocator,
    readonly constants: unknown[] = [],
    readonly closures: (Closure | null)[] = [],
    private readonly variable: string | null = null,
  ) {}

  temp(): string {
    this.maxTemps = Math.max(this.maxTemps, this.temps + 1);
    return `t${this.temps++}`;
  }

  /** Temporaries live within one statement: each statement may reuse them. */
  statement(): void {
    this.temps = 0;
  }

  constant(v: unknown): string {
    this.constants.push(v);
    return `K[${this.constants.length - 1}]`;
  }

  /** A whole expression: inlined when every node is known, else a call of its closure. */
  expression(x: ExpressionSource): string {
    try {
      return this.node(parseExpression(x.source));
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      this.closures.push(x.closure);
      return `H.run(C[${this.closures.length - 1}], e)`;
    }
  }

  private node(n: Node): string {
    switch (n.op) {
      case 'value': return this.literal(n.args);
      case 'id':
        if (this.variable !== null && n.args === this.variable) return 'v';
        if (n.args === 'date') return 'e.date';
        if (n.args === 'year') return 'e.year';
        throw new Unsupported(`variable ${String(n.args)}`);
      case '.': return this.field(n.args as [Node, string], false);
      case '&&': case '||': {
        const [a, b] = n.args as [Node, Node];
        const t = this.temp();
        const [decisive, other] = n.op === '||' ? ['true', 'false'] : ['false', 'true'];
        return `((${t} = ${this.node(a)}) === ${decisive} ? ${decisive} : ${t} === ${other} ? H.bool(${this.node(b)}) : U)`;
      }
      case '!_': {
        const t = this.temp();
        return `((${t} = ${this.node(n.args as Node)}) === true ? false : ${t} === false ? true : U)`;
      }
      case '-_': return `H.neg(${this.node(n.args as Node)})`;
      case '?:': {
        const [c, a, b] = n.args as [Node, Node, Node];
        const t = this.temp();
        return `((${t} = ${this.node(c)}) === true ? ${this.node(a)} : ${t} === false ? ${this.node(b)} : U)`;
      }
      case '==': case '!=': {
        const [a, b] = n.args as [Node, Node];
        const lit = b.op === 'value' && typeof b.args === 'string' ? b : a.op === 'value' && typeof a.args === 'string' ? a : null;
        if (lit) {
          const other = lit === b ? a : b;
          const t = this.temp();
          const test = `${t} === ${JSON.stringify(lit.args)}`;
          return `(typeof (${t} = ${this.node(other)}) === 'string' ? ${n.op === '==' ? test : `!(${test})`} : U)`;
        }
        if (n.op === '==') return `H.equal(${this.node(a)}, ${this.node(b)})`;
        const t = this.temp();
        return `((${t} = H.equal(${this.node(a)}, ${this.node(b)})) === U ? U : !${t})`;
      }
      case '<': case '<=': case '>': case '>=': {
        const [a, b] = n.args as [Node, Node];
        const x = this.temp();
        const y = this.temp();
        const c = this.temp();
        return `(${x} = ${this.node(a)}, ${y} = ${this.node(b)}, typeof ${x} === 'bigint' && typeof ${y} === 'bigint' ? ${x} ${n.op} ${y} : (${c} = H.compare(${x}, ${y})) === U ? U : ${c} ${n.op} 0)`;
      }
      case '+': case '-': case '*': case '/': case '%': {
        const [a, b] = n.args as [Node, Node];
        return `H.arith(${JSON.stringify(n.op)}, ${this.node(a)}, ${this.node(b)})`;
      }
      case 'in': {
        const [a, b] = n.args as [Node, Node];
        const items = b.op === 'list' ? (b.args as Node[]) : null;
        if (items && items.length > 0 && items.every((i) => i.op === 'value' && typeof i.args === 'string')) {
          const t = this.temp();
          const test = items.length <= 6
            ? items.map((i) => `${t} === ${JSON.stringify(i.args)}`).join(' || ')
            : `${this.constant(new Set(items.map((i) => i.args as string)))}.has(${t})`;
          return `(typeof (${t} = ${this.node(a)}) === 'string' ? (${test}) : U)`;
        }
        return `H.inList(${this.node(a)}, ${this.node(b)})`;
      }
      case 'list': {
        const items = n.args as Node[];
        if (items.every((i) => i.op === 'value' && ['string', 'bigint', 'boolean', 'number'].includes(typeof i.args))) {
          return this.constant(Object.freeze(items.map((i) => i.args)));
        }
        throw new Unsupported('list of expressions');
      }
      case 'call': {
        const [name, args] = n.args as [string, Node[]];
        if (name === 'size' && args.length === 1) return `H.size(${this.node(args[0] as Node)})`;
        if (name === 'has' && args.length === 1 && (args[0] as Node).op === '.') return this.field((args[0] as Node).args as [Node, string], true);
        throw new Unsupported(`function ${name}`);
      }
      case 'rcall': {
        const [name, receiver, args] = n.args as [string, Node, Node[]];
        if (name === 'size' && args.length === 0) return `H.size(${this.node(receiver)})`;
        if ((name === 'exists' || name === 'all') && args.length === 2 && (args[0] as Node).op === 'id') {
          const predicate = this.predicate((args[0] as Node).args as string, args[1] as Node);
          return `H.quantify(${predicate}, ${this.node(receiver)}, e, ${name === 'exists'})`;
        }
        throw new Unsupported(`method ${name}`);
      }
      default:
        throw new Unsupported(n.op);
    }
  }

  /**
   * An exists/all predicate as a function (e, v) made once, kept as a constant: no closure is created per call. Its body
   * sees only its own variable (a nested predicate naming an outer one is Unsupported, and the closure runs instead).
   */
  private predicate(variable: string, body: Node): string {
    const sub = new Emitter(this.slots, this.constants, this.closures, variable);
    const code = sub.node(body);
    const temps = Array.from({ length: sub.maxTemps }, (_, i) => `t${i}`);
    const source = `return function predicate(e, v) {${temps.length ? ` let ${temps.join(', ')};` : ''} return ${code}; };`;
    const make = new Function('H', 'K', 'C', 'UNSET', 'U', source) as (...args: unknown[]) => unknown;
    return this.constant(make(HELPERS, this.constants, this.closures, UNSET, U));
  }

  private literal(v: unknown): string {
    switch (typeof v) {
      case 'string': return JSON.stringify(v);
      case 'bigint': return `${v}n`;
      case 'boolean': return String(v);
      case 'number': return this.constant(v);
      default: throw new Unsupported(`literal ${String(v)}`);
    }
  }

  /** scope.key: the value (bail when absent), or for has() whether it is present. */
  private field([left, key]: [Node, string], has: boolean): string {
    if (left.op !== 'id') throw new Unsupported('field access on a value');
    const t = this.temp();
    let read: string;
    switch (left.args) {
      case 'member': {
        const slot = this.slots.member(key);
        read = `${t} = e.m[${slot}], ${t} === UNSET && (${t} = e.deriveMember(${slot}))`;
        break;
      }
      case 'household': {
        const slot = this.slots.household(key);
        read = `${t} = e.h[${slot}], ${t} === UNSET && (${t} = e.deriveHousehold(${slot}))`;
        break;
      }
      case 'local':
        read = `${t} = H.local(e, ${JSON.stringify(key)})`;
        break;
      default:
        throw new Unsupported(`field of ${String(left.args)}`);
    }
    return has ? `(${read}, ${t} !== undefined)` : `(${read}, ${t} === undefined ? U : ${t})`;
  }
}

/**
 * The function deciding a policy from its `from`-th condition on, with its amount rows. Conditions and `when`s must
 * yield exactly true or false, a formula a value; anything else returns -1.
 */
export function compilePolicyFunction(conditions: ExpressionSource[], rows: RowPlan[], slots: SlotAllocator): PolicyFunction {
  const em = new Emitter(slots);
  const body: string[] = [];
  for (const c of conditions) {
    body.push(`c = ${em.expression(c)};`, `if (c !== true) return c === false ? ${OUTCOME_CONDITION_FAILED} : -1;`);
  }
  if (rows.length === 0) body.push(`return ${OUTCOME_ELIGIBLE};`);
  rows.forEach((row, r) => {
    let settle: string;
    switch (row.kind) {
      case 'fen': settle = `out.row[i] = ${r}; out.fen[i] = ${em.constant(row.fen)}; return ${OUTCOME_ELIGIBLE};`; break;
      case 'none': settle = `out.row[i] = ${r}; return ${OUTCOME_ELIGIBLE};`; break;
      case 'outcome': settle = `out.row[i] = ${r}; return ${row.outcome};`; break;
      case 'formula': settle = `c = ${em.expression(row.formula)}; if (c === U) return -1; out.row[i] = ${r}; out.fen[i] = Number(c); return ${OUTCOME_ELIGIBLE};`; break;
    }
    if (row.when) body.push(`c = ${em.expression(row.when)};`, `if (c === true) { ${settle} }`, 'if (c !== false) return -1;');
    else body.push(settle);
  });
  if (rows.length > 0 && rows[rows.length - 1]?.when) body.push(`return ${OUTCOME_NO_AMOUNT_ROW};`);
  const temps = Array.from({ length: em.maxTemps }, (_, i) => `t${i}`);
  const source = [
    'return function policy(e, out, i) {',
    `  let c${temps.length ? `, ${temps.join(', ')}` : ''};`,
    '  try {',
    ...body.map((l) => `    ${l}`),
    '  } catch {',
    '    return -1;',
    '  }',
    '};',
  ].join('\n');
  const make = new Function('H', 'K', 'C', 'UNSET', 'U', source) as (...args: unknown[]) => PolicyFunction;
  return make(HELPERS, em.constants, em.closures, UNSET, U);
}

/** A member policy inside a plan's member function. */
export interface PlanPolicy {
  /** Its position in the plan (index into the household's entry offsets). */
  position: number;
  outOfForce: boolean;
  /** memo ≥ 0: the condition reads no member fact, and its value is kept per household in e.hc[memo]. */
  conditions: (ExpressionSource & { memo: number })[];
  rows: RowPlan[];
}

/** Marks an entry the member function left to the closure path. */
export const OUTCOME_UNANSWERED = 255;

export interface MemberEnv extends ClosureEnv {
  /** Household-level condition values, UNSET until computed for the current household. */
  hc: unknown[];
}

export interface CompactOut { row: Int16Array; fen: Float64Array; outcome: Uint8Array; status: Uint8Array }

/** (env, out, offsets, m): decides member m's entry of every member policy (entry = offsets[position] + m). */
export type MemberFunction = (e: MemberEnv, out: CompactOut, off: Int32Array, m: number) => void;

const OUTCOME_OUT_OF_FORCE = 3;

/**
 * One function deciding every member policy of a plan for one member: one call per member instead of one per
 * (policy, member), and household-level conditions computed once per household. Entries it cannot answer get
 * OUTCOME_UNANSWERED and are decided afterwards, in entry order, by the closure path.
 */
export function compileMemberFunction(policies: PlanPolicy[], slots: SlotAllocator): MemberFunction {
  const em = new Emitter(slots);
  const body: string[] = [];
  const unanswered = `out.outcome[i] = ${OUTCOME_UNANSWERED};`;
  for (const p of policies) {
    const label = `p${p.position}`;
    const done = (outcome: number) => `out.outcome[i] = ${outcome}; out.status[i] = ${outcome === OUTCOME_ELIGIBLE ? 1 : 0}; break ${label};`;
    const lines: string[] = [];
    if (p.outOfForce) lines.push(done(OUTCOME_OUT_OF_FORCE));
    else {
      for (const c of p.conditions) {
        em.statement();
        const code = em.expression(c);
        const t = em.temp();
        const value = c.memo >= 0 ? `((${t} = e.hc[${c.memo}]) === UNSET ? (e.hc[${c.memo}] = ${code}) : ${t})` : code;
        lines.push(`c = ${value};`, `if (c !== true) { if (c === false) { ${done(OUTCOME_CONDITION_FAILED)} } ${unanswered} break ${label}; }`);
      }
      if (p.rows.length === 0) lines.push(done(OUTCOME_ELIGIBLE));
      p.rows.forEach((row, r) => {
        em.statement();
        let settle: string;
        switch (row.kind) {
          case 'fen': settle = `out.row[i] = ${r}; out.fen[i] = ${em.constant(row.fen)}; ${done(OUTCOME_ELIGIBLE)}`; break;
          case 'none': settle = `out.row[i] = ${r}; ${done(OUTCOME_ELIGIBLE)}`; break;
          case 'outcome': settle = `out.row[i] = ${r}; ${done(row.outcome)}`; break;
          case 'formula': settle = `c = ${em.expression(row.formula)}; if (c === U) { ${unanswered} break ${label}; } out.row[i] = ${r}; out.fen[i] = Number(c); ${done(OUTCOME_ELIGIBLE)}`; break;
        }
        if (row.when) {
          em.statement();
          lines.push(`c = ${em.expression(row.when)};`, `if (c === true) { ${settle} }`, `if (c !== false) { ${unanswered} break ${label}; }`);
        } else lines.push(settle);
      });
      if (p.rows.length > 0 && p.rows[p.rows.length - 1]?.when) lines.push(done(OUTCOME_NO_AMOUNT_ROW));
    }
    body.push(`i = off[${p.position}] + m;`, `${label}: {`, ...lines.map((l) => `  ${l}`), '}');
  }
  const temps = Array.from({ length: em.maxTemps }, (_, i) => `t${i}`);
  const source = [
    'return function member(e, out, off, m) {',
    `  let i, c${temps.length ? `, ${temps.join(', ')}` : ''};`,
    '  try {',
    ...body.map((l) => `    ${l}`),
    '  } catch {',
    // Something threw (a deriver, say): leave all of this member's entries to the closure path, which will say what.
    ...policies.map((p) => `    out.outcome[off[${p.position}] + m] = ${OUTCOME_UNANSWERED};`),
    '  }',
    '};',
  ].join('\n');
  const make = new Function('H', 'K', 'C', 'UNSET', 'U', source) as (...args: unknown[]) => MemberFunction;
  return make(HELPERS, em.constants, em.closures, UNSET, U);
}
