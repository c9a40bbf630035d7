/**
 * @module Compiling a pack's CEL expression into a plain JS closure over fact slots, for the batch screener.
 *
 * The closure follows @marcbachmann/cel-js where the values are the types the fact catalog declares (int = bigint,
 * string, bool, list<string>): it returns what the interpreter returns, or returns ERR where the interpreter throws
 * (a missing fact is common, and a JS throw costs a microsecond). Wherever the outcome is not certain (an unexpected
 * runtime type, overflow, a construct it does not know) it throws FALLBACK, or refuses to compile, and the caller
 * runs the interpreter instead, so decisions never differ.
 */
import { Environment } from '@marcbachmann/cel-js';

/** Returned where the interpreter would throw (a missing fact, or an error it treats the same way). */
export const ERR: { readonly kind: 'err' } = Object.freeze({ kind: 'err' });
/** Not decided here: ask the interpreter. */
export const FALLBACK: { readonly kind: 'fallback' } = Object.freeze({ kind: 'fallback' });
/** A fact slot not derived yet for the current member or household. */
export const UNSET: unique symbol = Symbol('unset');

export interface ClosureEnv {
  /** Member fact values by slot, UNSET until derived, undefined when absent. */
  m: unknown[];
  h: unknown[];
  /** Values of comprehension variables by nesting depth. */
  iter: unknown[];
  local: Record<string, unknown>;
  date: string;
  year: bigint;
  deriveMember(slot: number): unknown;
  deriveHousehold(slot: number): unknown;
}

export type Closure = (e: ClosureEnv) => unknown;

export interface SlotAllocator {
  member(key: string): number;
  household(key: string): number;
}

/** Why an expression could not be compiled; the caller evaluates it with the interpreter. */
export class Unsupported extends Error {}

export interface Node { op: string; args: unknown }

const parser = new Environment({ unlistedVariablesAreDyn: true });
const MAX_INT = 2n ** 63n - 1n;
const MIN_INT = -(2n ** 63n);

export interface CompiledClosure {
  run: Closure;
}

/** The parsed expression, as the interpreter parses it. */
export function parseExpression(source: string): Node {
  return parser.parse(source).ast as unknown as Node;
}

export function compileClosure(source: string, slots: SlotAllocator): CompiledClosure {
  return { run: compileNode(parseExpression(source), slots, []) };
}

/** True when every use of member / household / local is a `.key` access on it (so it reads only the facts its text names). */
export function plainAccess(ast: Node): boolean {
  let plain = true;
  const visit = (n: unknown, parentIsDot: boolean): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach((x) => visit(x, false));
    const node = n as Node;
    if (typeof node.op !== 'string') return;
    if (node.op === '[]' || node.op === '[?]' || node.op === '.?') plain = false;
    if (node.op === 'id' && ['member', 'household', 'local'].includes(node.args as string) && !parentIsDot) plain = false;
    if (node.op === '.') {
      const [left] = node.args as [Node, string];
      visit(left, true);
      return;
    }
    visit(node.args, false);
  };
  visit(ast, false);
  return plain;
}

type Scope = string[];

function compileNode(node: Node, slots: SlotAllocator, scope: Scope): Closure {
  switch (node.op) {
    case 'value': return constant(node.args);
    case 'id': return identifier(node.args as string, scope);
    case '.': return fieldAccess(node.args as [Node, string], slots, scope);
    case 'list': {
      const items = (node.args as Node[]).map((n) => compileNode(n, slots, scope));
      const values = (node.args as Node[]).every((n) => n.op === 'value') ? (node.args as Node[]).map((n) => n.args) : null;
      if (values && values.every(isPlainPrimitive)) {
        const frozen = Object.freeze(values);
        return () => frozen;
      }
      return (e) => {
        const out: unknown[] = [];
        for (const f of items) {
          const v = f(e);
          if (v === ERR) return ERR;
          out.push(v);
        }
        return out;
      };
    }
    case '&&': return logical(node.args as [Node, Node], slots, scope, false);
    case '||': return logical(node.args as [Node, Node], slots, scope, true);
    case '!_': {
      const arg = compileNode(node.args as Node, slots, scope);
      return (e) => {
        const v = arg(e);
        if (v === ERR) return ERR;
        if (typeof v !== 'boolean') throw FALLBACK;
        return !v;
      };
    }
    case '-_': {
      const arg = compileNode(node.args as Node, slots, scope);
      return (e) => {
        const v = arg(e);
        if (v === ERR) return ERR;
        if (typeof v === 'bigint') return checkedInt(-v);
        if (typeof v === 'number') return -v;
        throw FALLBACK;
      };
    }
    case '?:': {
      const [c, a, b] = (node.args as Node[]).map((n) => compileNode(n, slots, scope)) as [Closure, Closure, Closure];
      return (e) => {
        const v = c(e);
        if (v === true) return a(e);
        if (v === false) return b(e);
        if (v === ERR) return ERR;
        throw FALLBACK;
      };
    }
    case '==': case '!=': case '<': case '<=': case '>': case '>=':
    case '+': case '-': case '*': case '/': case '%':
      return binary(node.op, node.args as [Node, Node], slots, scope);
    case 'in': return membership(node.args as [Node, Node], slots, scope);
    case 'call': return call(node.args as [string, Node[]], slots, scope);
    case 'rcall': return receiverCall(node.args as [string, Node, Node[]], slots, scope);
    default:
      throw new Unsupported(`operator ${node.op}`);
  }
}

function isPlainPrimitive(v: unknown): boolean {
  return typeof v === 'string' || typeof v === 'bigint' || typeof v === 'boolean' || typeof v === 'number';
}

function constant(value: unknown): Closure {
  if (!isPlainPrimitive(value)) throw new Unsupported(`literal ${String(value)}`);
  return () => value;
}

function identifier(name: string, scope: Scope): Closure {
  const depth = scope.lastIndexOf(name);
  if (depth >= 0) return (e) => e.iter[depth];
  if (name === 'date') return (e) => e.date;
  if (name === 'year') return (e) => e.year;
  throw new Unsupported(`variable ${name}`);
}

function fieldAccess([left, key]: [Node, string], slots: SlotAllocator, scope: Scope): Closure {
  if (left.op !== 'id' || scope.includes(left.args as string)) throw new Unsupported('field access on a value');
  switch (left.args) {
    case 'member': {
      const slot = slots.member(key);
      return (e) => {
        let v = e.m[slot];
        if (v === UNSET) v = e.deriveMember(slot);
        return v === undefined ? ERR : v;
      };
    }
    case 'household': {
      const slot = slots.household(key);
      return (e) => {
        let v = e.h[slot];
        if (v === UNSET) v = e.deriveHousehold(slot);
        return v === undefined ? ERR : v;
      };
    }
    case 'local':
      return (e) => {
        const v = Object.hasOwn(e.local, key) ? e.local[key] : undefined;
        return v === undefined ? ERR : v;
      };
    default:
      throw new Unsupported(`field of ${String(left.args)}`);
  }
}

/** cel-js && and ||: an error on one side is absorbed when the other side decides; otherwise it is the result. */
function logical([l, r]: [Node, Node], slots: SlotAllocator, scope: Scope, isOr: boolean): Closure {
  const left = compileNode(l, slots, scope);
  const right = compileNode(r, slots, scope);
  const decisive = isOr;
  return (e) => {
    const lv = left(e);
    if (lv === decisive) return decisive;
    if (lv === !decisive) {
      const rv = right(e);
      if (typeof rv === 'boolean' || rv === ERR) return rv;
      throw FALLBACK;
    }
    if (lv !== ERR) throw FALLBACK;
    const rv = right(e);
    if (rv === decisive) return decisive;
    if (rv === !decisive || rv === ERR) return ERR;
    throw FALLBACK;
  };
}

export function checkedInt(v: bigint): bigint {
  if (v > MAX_INT || v < MIN_INT) throw FALLBACK;
  return v;
}

function binary(op: string, [l, r]: [Node, Node], slots: SlotAllocator, scope: Scope): Closure {
  const a = compileNode(l, slots, scope);
  const b = compileNode(r, slots, scope);
  const apply = operation(op);
  return (e) => {
    const x = a(e);
    if (x === ERR) return ERR;
    const y = b(e);
    if (y === ERR) return ERR;
    return apply(x, y);
  };
}

function operation(op: string): (x: unknown, y: unknown) => unknown {
  switch (op) {
    case '==': return equal;
    case '!=': return (x, y) => !equal(x, y);
    case '<': return (x, y) => compare(x, y) < 0;
    case '<=': return (x, y) => compare(x, y) <= 0;
    case '>': return (x, y) => compare(x, y) > 0;
    case '>=': return (x, y) => compare(x, y) >= 0;
    default: return (x, y) => arithmetic(op, x, y);
  }
}

/** + - * / % for the primitive pairs cel-js has overloads for; anything else is left to the interpreter. */
export function arithmetic(op: string, x: unknown, y: unknown): unknown {
  if (typeof x === 'bigint' && typeof y === 'bigint') {
    switch (op) {
      case '+': return checkedInt(x + y);
      case '-': return checkedInt(x - y);
      case '*': return checkedInt(x * y);
      case '/': if (y !== 0n) return x / y; break;
      case '%': if (y !== 0n) return x % y; break;
    }
  } else if (typeof x === 'number' && typeof y === 'number') {
    switch (op) {
      case '+': return x + y;
      case '-': return x - y;
      case '*': return x * y;
      case '/': return x / y;
    }
  } else if (op === '+' && typeof x === 'string' && typeof y === 'string') return x + y;
  throw FALLBACK;
}

/** `==` for the primitive pairs cel-js has overloads for; anything else is left to the interpreter. */
export function equal(x: unknown, y: unknown): boolean {
  const tx = typeof x;
  if (tx === typeof y && (tx === 'string' || tx === 'boolean' || tx === 'bigint' || tx === 'number')) return x === y;
  if (tx === 'bigint' && typeof y === 'number') return looseEqual(x, y);
  throw FALLBACK;
}

/** Sign of x - y for the ordered primitive pairs (NaN when unordered); anything else is left to the interpreter. */
export function compare(x: unknown, y: unknown): number {
  const tx = typeof x;
  const ty = typeof y;
  const numeric = (tx === 'bigint' || tx === 'number') && (ty === 'bigint' || ty === 'number');
  if (!numeric && !(tx === ty && (tx === 'string' || tx === 'boolean'))) throw FALLBACK;
  const a = x as number, b = y as number;
  return a < b ? -1 : a > b ? 1 : a === b || looseEqual(a, b) ? 0 : NaN;
}

/** int == double as cel-js compares them (numerically). */
function looseEqual(a: unknown, b: unknown): boolean {
  return a == b;
}

/** cel-js isEqual for primitives (list membership). */
function isEqualPrimitive(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  switch (typeof a) {
    case 'string': case 'boolean': return false;
    case 'bigint': return typeof b === 'number' ? looseEqual(a, b) : false;
    case 'number': return typeof b === 'bigint' ? looseEqual(a, b) : false;
    default: throw FALLBACK;
  }
}

function membership([l, r]: [Node, Node], slots: SlotAllocator, scope: Scope): Closure {
  const item = compileNode(l, slots, scope);
  const list = compileNode(r, slots, scope);
  if (r.op === 'list' && (r.args as Node[]).length > 0 && (r.args as Node[]).every((n) => n.op === 'value' && typeof n.args === 'string')) {
    const set = new Set((r.args as Node[]).map((n) => n.args as string));
    return (e) => {
      const x = item(e);
      if (x === ERR) return ERR;
      if (typeof x !== 'string') throw FALLBACK;
      return set.has(x);
    };
  }
  return (e) => {
    const x = item(e);
    if (x === ERR) return ERR;
    const xs = list(e);
    if (xs === ERR) return ERR;
    return inList(x, xs);
  };
}

/** `x in xs` as cel-js decides it for primitives. */
export function inList(x: unknown, xs: unknown): boolean {
  if (!Array.isArray(xs)) throw FALLBACK;
  if (xs.length === 0) return false;
  // cel-js picks the overload from the first element's type: another type has no `in` overload.
  if (typeof xs[0] !== typeof x || typeof x === 'object' || typeof x === 'undefined') throw FALLBACK;
  for (let i = 0; i < xs.length; i++) if (isEqualPrimitive(x, xs[i])) return true;
  return false;
}

function call([name, args]: [string, Node[]], slots: SlotAllocator, scope: Scope): Closure {
  if (name === 'size' && args.length === 1) {
    const arg = compileNode(args[0] as Node, slots, scope);
    return (e) => {
      const v = arg(e);
      if (v === ERR) return ERR;
      if (!Array.isArray(v)) throw FALLBACK;
      return BigInt(v.length);
    };
  }
  if (name === 'has' && args.length === 1) {
    const target = args[0] as Node;
    if (target.op !== '.') throw new Unsupported('has() of a non-field');
    const [left, key] = target.args as [Node, string];
    if (left.op !== 'id' || scope.includes(left.args as string)) throw new Unsupported('has() on a value');
    if (left.args === 'member') {
      const slot = slots.member(key);
      return (e) => {
        let v = e.m[slot];
        if (v === UNSET) v = e.deriveMember(slot);
        return v !== undefined;
      };
    }
    if (left.args === 'household') {
      const slot = slots.household(key);
      return (e) => {
        let v = e.h[slot];
        if (v === UNSET) v = e.deriveHousehold(slot);
        return v !== undefined;
      };
    }
    if (left.args === 'local') return (e) => (Object.hasOwn(e.local, key) ? e.local[key] : undefined) !== undefined;
  }
  throw new Unsupported(`function ${name}`);
}

function receiverCall([name, receiver, args]: [string, Node, Node[]], slots: SlotAllocator, scope: Scope): Closure {
  if (name === 'size' && args.length === 0) return call(['size', [receiver]], slots, scope);
  if ((name === 'exists' || name === 'all') && args.length === 2 && (args[0] as Node).op === 'id') {
    const variable = (args[0] as Node).args as string;
    const items = compileNode(receiver, slots, scope);
    const depth = scope.length;
    const predicate = compileNode(args[1] as Node, slots, [...scope, variable]);
    // exists stops at the first true, all at the first false; an error elsewhere is the result only if nothing decided.
    const decisive = name === 'exists';
    return (e) => {
      const xs = items(e);
      if (xs === ERR) return ERR;
      if (!Array.isArray(xs)) throw FALLBACK;
      let failed = false;
      for (let i = 0; i < xs.length; i++) {
        e.iter[depth] = xs[i];
        const v = predicate(e);
        if (v === decisive) return decisive;
        if (v === ERR) failed = true;
        else if (v !== !decisive) throw FALLBACK;
      }
      return failed ? ERR : !decisive;
    };
  }
  throw new Unsupported(`method ${name}`);
}
