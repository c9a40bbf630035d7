/** @module The policies a household does not get, one line per policy and reason: the compact "why not" of a screening answer. */
import type { Decision } from './decision.ts';

export interface NotEntitled {
  policy: string;
  name: string;
  /** Indexes of the members this line is about, in order; null for a policy about the whole household. */
  members: number[] | null;
  /** The first unmet condition with the facts it read, e.g. "属于脱贫户（户类别：无）". */
  why: string;
}

/** The first unmet reason of an ineligible decision as one line; the policy's validity and exclusions are reasons too. */
export function whyNot(decision: Decision): string {
  const reason = decision.reasons.find((r) => r.met === false);
  if (!reason) return '不满足本政策的条件';
  const facts = reason.facts.map((f) => `${f.label}：${f.value ?? '未知'}`).join('，');
  return facts ? `${reason.label}（${facts}）` : reason.label;
}

/**
 * The ineligible decisions of a screening, in its order, members with the same reason for a policy on one line.
 * Needs reasons (explain true or 'decisive').
 */
export function notEntitled(decisions: readonly Decision[]): NotEntitled[] {
  const lines = new Map<string, NotEntitled>();
  for (const d of decisions) {
    if (d.status !== 'ineligible') continue;
    const why = whyNot(d);
    const key = `${d.policy}\u0000${why}`;
    const line = lines.get(key);
    if (line?.members && d.member) line.members.push(d.member.index);
    else lines.set(key, { policy: d.policy, name: d.name, members: d.member ? [d.member.index] : null, why });
  }
  return [...lines.values()];
}
