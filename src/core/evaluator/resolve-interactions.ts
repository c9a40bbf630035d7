/** @module Policies that interact: exclusions (not paid together), overrides (a local rule replaces a general one) and conflicts (two claim one need). */
import type { CompiledPolicy } from '../pack/compile.ts';
import type { Conflict, Decision } from './decision.ts';

const subjectKey = (d: Decision) => (d.member ? `m${d.member.index}` : 'h');

/** Works from the statuses before any change, so the order of policies never decides the outcome. */
export function applyExclusionsAndOverrides(decisions: Decision[], policies: Map<string, CompiledPolicy>): void {
  const eligible = new Map<string, Decision>();
  for (const d of decisions) if (d.status === 'eligible') eligible.set(`${d.policy}|${subjectKey(d)}`, d);
  const demote: { decision: Decision; label: string; by: Decision }[] = [];

  for (const d of eligible.values()) {
    const policy = policies.get(d.policy);
    for (const ex of policy?.source.excludedBy ?? []) {
      const other = eligible.get(`${ex.policy}|${subjectKey(d)}`);
      if (other) demote.push({ decision: d, label: `已享受“${other.name}”，不同时享受本政策`, by: other });
    }
    for (const ov of policy?.source.overrides ?? []) {
      const other = eligible.get(`${ov.policy}|${subjectKey(d)}`);
      if (other) demote.push({ decision: other, label: `由“${d.name}”取代：${ov.reason}`, by: d });
    }
  }
  for (const { decision, label, by } of demote) {
    const policy = policies.get(decision.policy);
    const exclusion = policy?.source.excludedBy?.find((e) => e.policy === by.policy);
    const citation = exclusion ? { file: exclusion.file ?? policy?.citation.file ?? '', quote: exclusion.quote } : by.citations[0] ?? decision.citations[0];
    decision.status = 'ineligible';
    decision.amount = null;
    if (citation) {
      decision.reasons.push({ label, met: false, facts: [], citation });
      if (!decision.citations.includes(citation)) decision.citations.push(citation);
    }
  }
}

export function findConflicts(decisions: Decision[], policies: Map<string, CompiledPolicy>): Conflict[] {
  const groups = new Map<string, Decision[]>();
  for (const d of decisions) {
    const slot = policies.get(d.policy)?.source.slot;
    if (d.status !== 'eligible' || !slot) continue;
    const key = `${slot}|${subjectKey(d)}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  return [...groups.entries()].filter(([, ds]) => ds.length > 1).map(([key, ds]) => ({
    slot: key.split('|')[0] ?? key,
    member: ds[0]?.member ?? null,
    policies: ds.map((d) => d.policy),
    message: `同一事项有${ds.length}条政策同时适用且未声明优先关系：${ds.map((d) => `“${d.name}”（${d.pack}）`).join('、')}，请政策管理员确认`,
  }));
}
