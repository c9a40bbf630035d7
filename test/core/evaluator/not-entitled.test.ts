import { describe, expect, it } from 'vitest';
import type { Decision, Reason } from '../../../src/core/evaluator/decision.ts';
import { notEntitled, whyNot } from '../../../src/core/evaluator/not-entitled.ts';

const citation = { file: '000.txt', quote: '原文' };
const reason = (label: string, met: boolean | null, facts: [string, string | null][] = []): Reason => ({
  label, met, citation, facts: facts.map(([l, value]) => ({ fact: `member.${l}`, label: l, value })),
});
const decision = (status: Decision['status'], reasons: Reason[], member: number | null = 0, policy = 'p'): Decision => ({
  policy, pack: 'k', name: '政策', category: '教育', member: member === null ? null : { index: member, name: `成员${member}` }, status, amount: null, benefit: '', measure: null,
  reasons, missing: [], citations: [citation],
});

describe('whyNot', () => {
  it('names the first unmet condition with the facts it read', () => {
    const d = decision('ineligible', [reason('在读', true, [['学段', '初中']]), reason('属于脱贫户', false, [['户类别', '无'], ['年龄', null]]), reason('寄宿', false)]);
    expect(whyNot(d)).toBe('属于脱贫户（户类别：无，年龄：未知）');
  });

  it('gives a reason without facts as its label (validity, exclusions)', () => {
    expect(whyNot(decision('ineligible', [reason('在读', true), reason('已享受“甲”，不同时享受本政策', false)]))).toBe('已享受“甲”，不同时享受本政策');
  });
});

describe('notEntitled', () => {
  it('lists only ineligible decisions, in order', () => {
    const list = notEntitled([decision('eligible', [reason('在读', true)]), decision('ineligible', [reason('寄宿', false)]), decision('undetermined', [reason('年龄', null)])]);
    expect(list).toEqual([{ policy: 'p', name: '政策', members: [0], why: '寄宿' }]);
  });

  it('puts members with the same reason for a policy on one line, and keeps different reasons apart', () => {
    const list = notEntitled([
      decision('ineligible', [reason('属于脱贫户', false, [['户类别', '无']])], 0),
      decision('ineligible', [reason('在读', false, [['学段', '无']])], 1),
      decision('ineligible', [reason('属于脱贫户', false, [['户类别', '无']])], 2),
      decision('ineligible', [reason('属于脱贫户', false, [['户类别', '无']])], null, 'q'),
    ]);
    expect(list).toEqual([
      { policy: 'p', name: '政策', members: [0, 2], why: '属于脱贫户（户类别：无）' },
      { policy: 'p', name: '政策', members: [1], why: '在读（学段：无）' },
      { policy: 'q', name: '政策', members: null, why: '属于脱贫户（户类别：无）' },
    ]);
  });
});
