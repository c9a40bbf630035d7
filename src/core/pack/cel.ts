/** @module The CEL environment policy conditions are written in: which variables exist, their types, and compiling one expression. */
import { Environment } from '@marcbachmann/cel-js';
import { HOUSEHOLD_FACTS, LOCAL_FACTS, MEMBER_FACTS, type FactDefinition } from '../model/facts.ts';

export type FactScope = 'member' | 'household' | 'local';
export interface FactRef { scope: FactScope; key: string }

const CATALOGS: Record<FactScope, Record<string, FactDefinition>> = {
  member: MEMBER_FACTS,
  household: HOUSEHOLD_FACTS,
  local: LOCAL_FACTS,
};

export function factDefinition(ref: FactRef): FactDefinition | undefined {
  return CATALOGS[ref.scope][ref.key];
}

function schemaOf(catalog: Record<string, FactDefinition>): Record<string, string> {
  return Object.fromEntries(Object.entries(catalog).map(([k, d]) => [k, d.type]));
}

/** Type-checks conditions against the fact catalog, so a misspelt fact fails when the pack loads, not in a household's answer. */
const checkingEnv = new Environment()
  .registerVariable({ name: 'member', schema: schemaOf(MEMBER_FACTS) })
  .registerVariable({ name: 'household', schema: schemaOf(HOUSEHOLD_FACTS) })
  .registerVariable({ name: 'local', schema: schemaOf(LOCAL_FACTS) })
  .registerVariable('date', 'string')
  .registerVariable('year', 'int');

/** Evaluates over plain objects: absent keys raise "No such key", which the evaluator turns into a missing fact. */
const runtimeEnv = new Environment({ unlistedVariablesAreDyn: true });

export interface EvalContext {
  member: Record<string, unknown>;
  household: Record<string, unknown>;
  local: Record<string, unknown>;
  date: string;
  year: bigint;
}

export interface CompiledExpression {
  source: string;
  facts: FactRef[];
  run(ctx: EvalContext): unknown;
}

export class ExpressionError extends Error {
  constructor(readonly expression: string, readonly where: string, detail: string) {
    super(`${where}: invalid expression \`${expression}\`: ${detail}`);
  }
}

export function compileExpression(source: string, expected: 'bool' | 'int', where: string): CompiledExpression {
  const check = checkingEnv.check(source);
  if (!check.valid) throw new ExpressionError(source, where, check.error?.message.split('\n')[0] ?? 'type error');
  if (check.type !== expected && check.type !== 'dyn') throw new ExpressionError(source, where, `yields ${check.type}, expected ${expected}`);
  const run = runtimeEnv.parse(source);
  return { source, facts: referencedFacts(source), run: (ctx) => run(ctx as unknown as Record<string, unknown>) };
}

/** The facts an expression reads; conditions only address facts as scope.key, so a scan of the text is exact. */
export function referencedFacts(source: string): FactRef[] {
  const refs = new Map<string, FactRef>();
  for (const m of source.matchAll(/\b(member|household|local)\.([A-Za-z]\w*)/g)) {
    const ref = { scope: m[1] as FactScope, key: m[2] as string };
    refs.set(`${ref.scope}.${ref.key}`, ref);
  }
  return [...refs.values()];
}
