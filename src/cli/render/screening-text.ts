/** @module The screening result as Chinese text: what the household gets, why, what is missing, and why not. */
import Table from 'cli-table3';
import type { Decision, ScreeningResult } from '../../core/evaluator/decision.ts';
import { totalEntitlements, type PeriodTotal } from '../../core/evaluator/totals.ts';
import type { CompiledPack } from '../../core/pack/compile.ts';
import type { Household } from '../../core/model/household.ts';
import { formatYuan } from '../../core/money.ts';
import { formatAmount, measureMark, subjectName } from './labels.ts';

export interface ScreeningTextOptions { all?: boolean }

export function renderScreening(result: ScreeningResult, household: Household, packs: readonly CompiledPack[], options: ScreeningTextOptions = {}): string {
  const out: string[] = [];
  const area = [household.area.county, household.area.town, household.area.village].filter(Boolean).join(' ');
  out.push(`户编号 ${result.household}（${area}） · 测算日期 ${result.date}`);
  out.push(`适用政策包：${result.packs.map((p) => `${packs.find((k) => k.manifest.id === p.id)?.manifest.name ?? p.id} v${p.version}`).join('；')}`);

  const eligible = result.decisions.filter((d) => d.status === 'eligible' && d.measure === null);
  const measures = result.decisions.filter((d) => d.status === 'eligible' && d.measure !== null);
  const undetermined = result.decisions.filter((d) => d.status === 'undetermined');
  const ineligible = result.decisions.filter((d) => d.status === 'ineligible');

  out.push('', `一、可以享受的政策（${eligible.length}项）`);
  out.push(eligible.length ? entitlementTable(eligible, packs) : '  暂无');
  out.push(...totalLines(eligible));
  if (measures.length) {
    out.push('', `帮扶措施（★ 结对帮扶人必须落实 ${measures.filter((d) => d.measure === 'required').length} 项，● 可选 ${measures.filter((d) => d.measure === 'optional').length} 项）`);
    for (const d of measures) out.push(`  ${measureMark(d.measure)} ${subjectName(d)} · ${d.name}：${d.benefit}${d.amount ? `（${formatAmount(d.amount)}）` : ''}`);
  }
  if (result.conflicts.length) {
    out.push('', '⚠ 政策冲突（需政策管理员确认）');
    for (const c of result.conflicts) out.push(`  ${c.member?.name ?? '全户'}：${c.message}`);
  }

  out.push('', '二、为什么可以享受');
  out.push(...whyLines([...eligible, ...measures]));

  out.push('', `三、还缺什么信息（${undetermined.length} 项待定，补齐下列信息即可判断）`);
  if (!undetermined.length) out.push('  无');
  out.push(...missingLines(undetermined));

  const shown = options.all ? ineligible : ineligible.filter(isNearMiss);
  out.push('', `四、为什么不能享受（${ineligible.length} 项${options.all ? '' : `，列出 ${shown.length} 项部分条件已满足的；加 --all 显示全部`}）`);
  for (const d of shown) {
    const failed = d.reasons.filter((r) => r.met === false).map((r) => r.label);
    out.push(`  ${subjectName(d)} · ${d.name}：${failed.join('；') || '不符合条件'}`);
  }
  return out.join('\n');
}

/** A checklist for the cadre: per member, each fact to collect and the policies it would decide. */
function missingLines(undetermined: Decision[]): string[] {
  const bySubject = new Map<string, Map<string, { label: string; input: string; policies: string[] }>>();
  for (const d of undetermined) {
    const facts = bySubject.get(subjectName(d)) ?? new Map();
    for (const m of d.missing) {
      const entry = facts.get(m.fact) ?? { label: m.label, input: m.input, policies: [] };
      if (!entry.policies.includes(d.name)) entry.policies.push(d.name);
      facts.set(m.fact, entry);
    }
    bySubject.set(subjectName(d), facts);
  }
  return [...bySubject].flatMap(([who, facts]) => [
    `  ${who}：`,
    ...[...facts.values()].map((f) => `    · ${f.label}（${f.input}）→ 决定：${f.policies.join('、')}`),
  ]);
}

/** An ineligible decision worth explaining: some condition held, or it is about the whole household. */
function isNearMiss(d: Decision): boolean {
  return d.member === null || d.reasons.some((r) => r.met === true);
}

function entitlementTable(decisions: Decision[], packs: readonly CompiledPack[]): string {
  const table = new Table({ head: ['对象', '类别', '政策', '金额', '主管部门 / 咨询电话'], style: { head: [], border: [] }, wordWrap: true, wrapOnWordBoundary: false, colWidths: [10, 6, 34, 30, 26] });
  const ordered = [...decisions].sort((a, b) => a.category.localeCompare(b.category, 'zh') || (a.member?.index ?? -1) - (b.member?.index ?? -1));
  for (const d of ordered) {
    const policy = packs.find((p) => p.manifest.id === d.pack)?.byId.get(d.policy);
    const authority = (policy?.source.authority ?? []).map((a) => `${a.department}${a.phone ? ` ${a.phone}` : ''}`).join('；');
    table.push([subjectName(d), d.category, d.name, formatAmount(d.amount), authority || '—']);
  }
  return table.toString();
}

function totalLines(eligible: Decision[]): string[] {
  const totals = totalEntitlements(eligible);
  if (!totals.household.length) return [];
  const fmt = (ts: PeriodTotal[]) => ts.map((t) => `${t.period} ${formatYuan(t.fen)} 元（${t.count}项）`).join('；');
  return [
    `合计（补助、减免与代缴；不含比例、上限、平均标准、贷款及补给单位的资金）：${fmt(totals.household)}`,
    ...totals.byMember.map((m) => `  其中 ${m.name}：${fmt(m.totals)}`),
  ];
}

/** One block per policy: each condition once with its quote, then the facts it used for each member (once if all agree). */
function whyLines(decisions: Decision[]): string[] {
  const byPolicy = new Map<string, Decision[]>();
  for (const d of decisions) byPolicy.set(d.policy, [...(byPolicy.get(d.policy) ?? []), d]);
  const lines: string[] = [];
  for (const group of byPolicy.values()) {
    const first = group[0] as Decision;
    const amounts = [...new Set(group.map((d) => formatAmount(d.amount)))];
    lines.push(`  【${first.name}】${group.map(subjectName).join('、')}${first.amount ? ` ${amounts.length === 1 ? `各 ${amounts[0]}` : group.map((d) => `${subjectName(d)} ${formatAmount(d.amount)}`).join('，')}` : ''}`);
    first.reasons.forEach((reason, i) => {
      lines.push(`    ✓ ${reason.label} —— “${reason.citation.quote}”`);
      const perMember = group.map((d) => ({ who: subjectName(d), facts: (d.reasons[i]?.facts ?? []).map((f) => `${f.label}：${f.value ?? '未知'}`).join('，') }));
      const distinct = [...new Set(perMember.map((m) => m.facts))].filter(Boolean);
      if (distinct.length === 1) lines.push(`      ${distinct[0]}`);
      else if (distinct.length > 1) lines.push(`      ${perMember.map((m) => `${m.who}：${m.facts}`).join('；')}`);
    });
    if (first.amount) lines.push(`    金额依据：“${first.amount.citation.quote}”（${first.amount.citation.file}）`);
  }
  return lines;
}
