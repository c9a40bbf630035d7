/** @module Local figures (低保标准 and the like) given in 元 by a deployment or a test, turned into the fen facts conditions read. */
import { LOCAL_FACTS, type LocalFacts } from '../core/model/facts.ts';
import { yuanToFen } from '../core/money.ts';
import { DomainError } from '../core/errors.ts';

/** `{ dibaoStandardMonthlyYuan: 620 }` → `{ dibaoStandardMonthlyFen: 62000n }`. */
export function localFactsFromYuan(input: Record<string, number | string>): LocalFacts {
  const facts: LocalFacts = {};
  for (const [name, value] of Object.entries(input)) {
    const key = name.replace(/Yuan$/, 'Fen');
    if (!(key in LOCAL_FACTS) || !name.endsWith('Yuan')) {
      const known = Object.keys(LOCAL_FACTS).map((k) => k.replace(/Fen$/, 'Yuan')).join('、');
      throw new DomainError('invalid_input', `未知的当地参数“${name}”（可用：${known}）`);
    }
    facts[key as keyof LocalFacts] = BigInt(yuanToFen(value));
  }
  return facts;
}
