/** @module Reading a household file for the CLI: file errors, JSON errors and schema problems become Chinese messages. */
import { readFileSync } from 'node:fs';
import type { Household } from '../core/model/household.ts';
import { validateHousehold, type InputProblem } from '../core/model/validate.ts';

export class InputError extends Error {
  constructor(readonly source: string, readonly problems: InputProblem[]) {
    super(`${source}：输入有 ${problems.length} 处问题`);
  }
}

export function readHouseholdFile(path: string): Household {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError(path, [{ path: '', message: `无法读取文件“${path}”，请检查路径` }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(path, [{ path: '', message: `不是合法的 JSON：${(error as Error).message}` }]);
  }
  const result = validateHousehold(json);
  if (!result.ok) throw new InputError(path, result.problems);
  return result.value;
}
