/** @module A pack's own test cases (packs/<id>/cases/*.cases.yaml): the format, and checking one case against a screening result. */
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Decision, ScreeningResult } from '../core/evaluator/decision.ts';
import { readYaml } from './load.ts';
import { yuanToFen } from '../core/money.ts';

const ExpectationSchema = z.strictObject({
  policy: z.string(),
  /** Member name, or omitted for a household-level policy. */
  member: z.string().optional(),
  status: z.enum(['eligible', 'ineligible', 'undetermined']),
  yuan: z.union([z.string(), z.number()]).transform(String).optional(),
  percent: z.number().optional(),
  /** Verbatim words from the seed that state the expected amount or outcome. */
  quote: z.string().optional(),
  missing: z.array(z.string()).optional(),
  measure: z.enum(['required', 'optional']).optional(),
}).refine((e) => (e.yuan === undefined && e.percent === undefined) || e.quote !== undefined, {
  message: 'an expected amount needs the quote it comes from',
});

export const CaseSchema = z.strictObject({
  name: z.string(),
  date: z.string(),
  household: z.unknown(),
  /** Local figures in 元, e.g. { dibaoStandardMonthlyYuan: 620 }. */
  local: z.record(z.string(), z.number()).optional(),
  expect: z.array(ExpectationSchema).min(1),
  /** Expect screening to refuse the household or date with this message fragment instead of deciding. */
});

export const CaseFileSchema = z.strictObject({
  households: z.record(z.string(), z.unknown()).optional(),
  cases: z.array(CaseSchema).min(1),
});

export type PackCase = z.infer<typeof CaseSchema>;
export type Expectation = z.infer<typeof ExpectationSchema>;

export function readCaseFiles(packDir: string): { file: string; cases: PackCase[] }[] {
  const dir = join(packDir, 'cases');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.cases.yaml')).sort().map((f) => ({
    file: join(dir, f),
    cases: CaseFileSchema.parse(readYaml(join(dir, f))).cases,
  }));
}

/** Problems with one expectation, in words a pack author can act on; empty when it holds. */
export function checkExpectation(result: ScreeningResult, e: Expectation): string[] {
  const matches = result.decisions.filter((d) => d.policy === e.policy && (e.member === undefined ? d.member === null : d.member?.name === e.member));
  if (matches.length !== 1) return [`${e.policy}${e.member ? `/${e.member}` : ''}: expected one decision, found ${matches.length}`];
  const d = matches[0] as Decision;
  const problems: string[] = [];
  const why = () => d.reasons.map((r) => `${r.label}=${String(r.met)}`).join('; ');
  if (d.status !== e.status) problems.push(`status ${d.status}, expected ${e.status} (${why()}; missing ${d.missing.map((m) => m.fact).join(',')})`);
  if (e.yuan !== undefined && d.amount?.fen !== yuanToFen(e.yuan)) problems.push(`amount ${d.amount?.yuan ?? 'none'} 元, expected ${e.yuan}`);
  if (e.percent !== undefined && d.amount?.percent !== e.percent) problems.push(`percent ${d.amount?.percent ?? 'none'}, expected ${e.percent}`);
  if (e.quote !== undefined && !d.citations.some((c) => c.quote.includes(e.quote as string) || (e.quote as string).includes(c.quote))) {
    problems.push(`no citation of the decision contains “${e.quote}”`);
  }
  if (e.yuan !== undefined && e.quote !== undefined && !quoteStatesAmount(e.quote, e.yuan)) {
    problems.push(`the quote “${e.quote}” does not state ${e.yuan} 元`);
  }
  if (e.missing !== undefined) {
    const got = d.missing.map((m) => m.fact).sort().join(',');
    if (got !== [...e.missing].sort().join(',')) problems.push(`missing [${got}], expected [${e.missing.join(',')}]`);
  }
  if (e.measure !== undefined && d.measure !== e.measure) problems.push(`measure ${d.measure}, expected ${e.measure}`);
  return problems.map((p) => `${e.policy}${e.member ? `/${e.member}` : ''}: ${p}`);
}

/** The number in a quote may be written as 1250, 3.8万 or 4万; an expectation's amount must be one the text states. */
export function quoteStatesAmount(quote: string, yuan: string): boolean {
  const value = Number(yuan);
  if (quote.includes(yuan) || quote.includes(String(value))) return true;
  const wan = value / 10000;
  return Number.isFinite(wan) && quote.includes(`${wan}万`);
}
