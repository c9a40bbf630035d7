import { describe, expect, it } from 'vitest';
import { validateHousehold } from '../../../src/core/model/validate.ts';

const valid = () => ({
  id: 'T-1',
  area: { county: '渝北区' },
  categories: [{ type: '脱贫户', from: '2016-10-01' }],
  members: [{ name: '甲', birthDate: '1970-01-01', relation: '户主' }],
});

function problemsOf(input: unknown) {
  const r = validateHousehold(input);
  return r.ok ? [] : r.problems;
}

describe('household validation', () => {
  it('accepts a minimal household', () => expect(validateHousehold(valid()).ok).toBe(true));

  it('names the field of a wrong type, in Chinese', () => {
    const h = { ...valid(), members: [{ ...valid().members[0], localHukou: '是' }] };
    const problems = problemsOf(h);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('members[0].localHukou');
    expect(problems[0]?.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('rejects a bad 身份证号 checksum with its path', () => {
    const h = { ...valid(), members: [{ name: '甲', idNumber: '110105194912310021', relation: '户主' }] };
    expect(problemsOf(h)).toEqual([{ path: 'members[0].idNumber', message: '身份证号校验码错误' }]);
  });

  it('rejects an impossible age', () => {
    expect(problemsOf({ ...valid(), members: [{ name: '甲', birthDate: '1880-01-01', relation: '户主' }] })[0]?.message).toMatch('年龄超过120岁');
    expect(problemsOf({ ...valid(), members: [{ name: '甲', birthDate: '2999-01-01', relation: '户主' }] })[0]?.message).toBe('出生日期晚于今天');
  });

  it('rejects an unknown category and lists the allowed ones', () => {
    const problems = problemsOf({ ...valid(), categories: [{ type: '贫困户', from: '2016-01-01' }] });
    expect(problems[0]?.path).toBe('categories[0].type');
    expect(problems[0]?.message).toContain('脱贫户');
  });

  it('rejects a school stage without any way to know the age', () => {
    const problems = problemsOf({ ...valid(), members: [{ name: '甲', relation: '户主', school: { stage: '初中' } }] });
    expect(problems).toEqual([{ path: 'members[0].birthDate', message: '缺少出生日期：请填写身份证号或出生日期' }]);
  });

  it('rejects unknown fields by name', () => {
    expect(problemsOf({ ...valid(), colour: 'red' })).toEqual([{ path: '', message: '无法识别的字段：colour' }]);
  });

  it('requires the class of a 监测户 and exactly one 户主', () => {
    const problems = problemsOf({ ...valid(), categories: [{ type: '监测户', from: '2022-01-01' }], members: [{ name: '甲', birthDate: '1970-01-01', relation: '配偶' }] });
    expect(problems.map((p) => p.path).sort()).toEqual(['categories[0].class', 'members']);
  });

  it('reports every problem, not only the first', () => {
    const problems = problemsOf({ id: '', area: { county: '' }, members: [{ name: '', birthDate: '1970-13-01', relation: '邻居' }] });
    expect(problems.length).toBeGreaterThanOrEqual(5);
  });

  it('rejects a birth date that disagrees with the 身份证号', () => {
    const problems = problemsOf({ ...valid(), members: [{ name: '甲', idNumber: '11010519491231002X', birthDate: '1950-01-01', relation: '户主' }] });
    expect(problems).toEqual([{ path: 'members[0].birthDate', message: '出生日期与身份证号不一致（身份证号为 1949-12-31）' }]);
  });
});
