/**
 * @module A policy's conditions and amount rows as one generated JS function, for the batch screener's common case.
 *
 * The generated function evaluates strictly: every fact it reads must be present and of the expected type, and
 * every operation one whose result is certain. Then it returns the decision's outcome code (and sets the amount).
 * In any other case (a missing fact, an error CEL would absorb or raise, anything unusual) it returns -1 and the
 * screener decides that entry with the closure path (cel-closure.ts), which follows CEL to the letter. So the
 * generated code only has to be right where it answers, and where it answers CEL's logic is plain boolean logic.
 *
 * Generated source contains no text from the pack: literals are JSON-encoded or passed in as constants, facts are
 * slot numbers.
 */
import {
  UNSET, Unsupported, checkedInt, compare, equal, inList, parseExpression,
  type Closure, type ClosureEnv, type Node, type SlotAllocator,
} from './cel-closure.ts';

/** Thrown inside generated code to give up; caught by the function itself. */
const BAIL: { readonly kind: 'bail' } = Object.freeze({ kind: 'bail' });

const HELPERS = {
  bail(): never {
    throw BAIL;
  },
  bool(v: unknown): boolean {
    if (typeof v !== 'boolean') throw BAIL;
    return v;
  },
  equal,
  compare,
  inList,
  size(v: unknown): bigint {
    if (!Array.isArray(v)) throw BAIL;
    return BigInt(v.length);
  },
  local(e: ClosureEnv, key: string): unknown {
    return Object.hasOwn(e.local, key) ? e.local[key] : undefined;
  },
  arith(op: string, x: unknown, y: unknown): unknown {
    if (typeof x === 'bigint' && typeof y === 'bigint') {
      switch (op) {
        case '+': return checkedInt(x + y);
        case '-': return checkedInt(x - y);
        case '*': return checkedInt(x * y);
        case '/': if (y !== 0n) return x / y; break;
        case '%': if (y !== 0n) return x % y; break;
      }
    } else if (typeof x === 'number' && typeof y === 'number' && op !== '%') {
      return op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : x / y;
    } else if (op === '+' && typeof x === 'string' && typeof y === 'string') return x + y;
    throw BAIL;
  },
  neg(v: unknown): unknown {
    if (typeof v === 'bigint') return checkedInt(-v);
    if (typeof v === 'number') return -v;
    throw BAIL;
  },
  /** An expression the generator does not inline: its closure (throws on anything but a plain answer). */
  run(c: Closure | null, e: ClosureEnv): unknown {
    if (!c) throw BAIL;
    return c(e);
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
  readonly constants: unknown[] = [];
  readonly closures: (Closure | null)[] = [];

  constructor(private readonly slots: SlotAllocator) {}

  temp(): string {
    return `t${this.temps++}`;
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
        if (n.args === 'date') return 'e.date';
        if (n.args === 'year') return 'e.year';
        throw new Unsupported(`variable ${String(n.args)}`);
      case '.': return this.field(n.args as [Node, string], false);
      case '&&': case '||': {
        const [a, b] = n.args as [Node, Node];
        const t = this.temp();
        const [decisive, other] = n.op === '||' ? ['true', 'false'] : ['false', 'true'];
        return `((${t} = ${this.node(a)}) === ${decisive} ? ${decisive} : ${t} === ${other} ? H.bool(${this.node(b)}) : H.bail())`;
      }
      case '!_': return `!H.bool(${this.node(n.args as Node)})`;
      case '-_': return `H.neg(${this.node(n.args as Node)})`;
      case '?:': {
        const [c, a, b] = n.args as [Node, Node, Node];
        const t = this.temp();
        return `((${t} = ${this.node(c)}) === true ? ${this.node(a)} : ${t} === false ? ${this.node(b)} : H.bail())`;
      }
      case '==': case '!=': {
        const [a, b] = n.args as [Node, Node];
        const lit = b.op === 'value' && typeof b.args === 'string' ? b : a.op === 'value' && typeof a.args === 'string' ? a : null;
        if (lit) {
          const other = lit === b ? a : b;
          const t = this.temp();
          const test = `${t} === ${JSON.stringify(lit.args)}`;
          return `(typeof (${t} = ${this.node(other)}) === 'string' ? ${n.op === '==' ? test : `!(${test})`} : H.bail())`;
        }
        return `${n.op === '!=' ? '!' : ''}H.equal(${this.node(a)}, ${this.node(b)})`;
      }
      case '<': case '<=': case '>': case '>=': {
        const [a, b] = n.args as [Node, Node];
        const x = this.temp();
        const y = this.temp();
        return `(${x} = ${this.node(a)}, ${y} = ${this.node(b)}, typeof ${x} === 'bigint' && typeof ${y} === 'bigint' ? ${x} ${n.op} ${y} : H.compare(${x}, ${y}) ${n.op} 0)`;
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
          return `(typeof (${t} = ${this.node(a)}) === 'string' ? (${test}) : H.bail())`;
        }
        return `H.inList(${this.node(a)}, ${this.node(b)})`;
      }
      case 'list': {
        const items = n.args as Node[];
        if (items.every((i) => i.op === 'value' && ['string', 'bigint', 'boolean', 'number'].includes(typeof i.args))) {
          return this.constant(Object.freeze(items.map((i) => i.args)));
        }
        return `[${items.map((i) => this.node(i)).join(', ')}]`;
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
        throw new Unsupported(`method ${name}`);
      }
      default:
        throw new Unsupported(n.op);
    }
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
    return has ? `(${read}, ${t} !== undefined)` : `(${read}, ${t} === undefined ? H.bail() : ${t})`;
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
      case 'formula': settle = `c = ${em.expression(row.formula)}; out.row[i] = ${r}; out.fen[i] = Number(c); return ${OUTCOME_ELIGIBLE};`; break;
    }
    if (row.when) body.push(`c = ${em.expression(row.when)};`, `if (c === true) { ${settle} }`, 'if (c !== false) return -1;');
    else body.push(settle);
  });
  if (rows.length > 0 && rows[rows.length - 1]?.when) body.push(`return ${OUTCOME_NO_AMOUNT_ROW};`);
  const temps = Array.from({ length: em.temps }, (_, i) => `t${i}`);
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
  const make = new Function('H', 'K', 'C', 'UNSET', source) as (...args: unknown[]) => PolicyFunction;
  return make(HELPERS, em.constants, em.closures, UNSET);
}
