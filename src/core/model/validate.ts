/** @module Turning untrusted input into a Household, or into one Chinese message per problem with its field path. */
import type { z } from 'zod';
import { DomainError } from '../errors.ts';
import { HouseholdSchema, type Household } from './household.ts';

export interface InputProblem {
  /** Field path such as `members[1].idNumber`; empty for the whole document. */
  path: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; problems: InputProblem[] };

export function validateHousehold(input: unknown): Validated<Household> {
  const result = HouseholdSchema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problems: result.error.issues.map(toProblem) };
}

/** The household sent in a request's field `field`, or an invalid_input error with every problem's path under that field. */
export function householdInField(input: unknown, field = 'household'): Household {
  const validated = validateHousehold(input);
  if (validated.ok) return validated.value;
  const problems = validated.problems.map((p) => ({ ...p, path: p.path ? `${field}.${p.path}` : field }));
  throw new DomainError('invalid_input', `户数据有误：${problems[0]?.path}：${problems[0]?.message}`, { problems });
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

function toProblem(issue: z.core.$ZodIssue): InputProblem {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return { path, message: `无法识别的字段：${issue.keys.join('、')}` };
  }
  return { path, message: issue.message };
}
