import { describe, expect, it } from 'vitest';
import { periodOf } from '../../../src/core/evaluator/totals.ts';

describe('periodOf', () => {
  it.each([
    ['元/年', '每年'], ['元/人·年', '每年'], ['元/学年', '每年'], ['元/人/学年', '每年'],
    ['元/月', '每月'], ['元/人·月', '每月'], ['元/生/学期', '每学期'],
    ['元/户', '一次性'], ['元/人（一次性）', '一次性'], ['元/家', '一次性'],
  ])('%s is paid %s', (unit, period) => expect(periodOf(unit)).toBe(period));

  it.each(['元/年（平均标准）', '元/户（贴息上限）', '元/人（一次性，最高）', '元（贷款额度上限）'])('%s is not a sum the household receives', (unit) => {
    expect(periodOf(unit)).toBeNull();
  });
});
