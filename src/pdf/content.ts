/** @module What the 明白纸 says, before layout: the household, entitlements grouped by policy area, totals, measures, missing information, sources. */
import type { Decision, ScreeningResult } from '../core/evaluator/decision.ts';
import { totalEntitlements } from '../core/evaluator/totals.ts';
import { maskIdCard } from '../core/model/id-card.ts';
import type { Household, Member } from '../core/model/household.ts';
import { formatYuan } from '../core/money.ts';
import type { CompiledPack, CompiledPolicy } from '../core/pack/compile.ts';
import { POLICY_CATEGORIES, type AmountKind, type PolicyCategory } from '../core/pack/format.ts';

export interface MingbaizhiInput {
  household: Household;
  result: ScreeningResult;
  packs: readonly CompiledPack[];
}

export interface MemberLine { index: number; name: string; relation: string; idNumber: string; notes: string }

export interface PolicyLine {
  name: string;
  benefit: string;
  /** Who receives it: member names, or 全户. */
  who: string[];
  amount: string;
  /** What kind of money it is, when it is not paid to the person (资助参保, 减免, 上限…). */
  amountNote: string;
  authority: { department: string; phone: string }[];
}

export interface CategoryGroup { category: PolicyCategory; lines: PolicyLine[] }

export interface TotalLine { period: string; total: string; breakdown: string }

export interface MeasureLine extends PolicyLine { mark: '★' | '●'; detail: string }

export interface MissingLine { what: string; who: string[]; policies: string[] }

export interface MingbaizhiContent {
  householdId: string;
  head: string;
  area: string;
  date: string;
  packNames: string[];
  categories: string;
  income: string;
  members: MemberLine[];
  entitlements: CategoryGroup[];
  entitlementCount: number;
  totals: TotalLine[];
  measures: MeasureLine[];
  missing: MissingLine[];
  /** Further facts to find out that are not listed. */
  missingMore: number;
  conflicts: string[];
  packs: string[];
  sourceFiles: string[];
}

/** What kind of money an amount is, in words a household reads; cash needs no note. */
export const KIND_NOTE: Record<AmountKind, string> = {
  cash: '', waiver: '减免，不用交', premium: '资助参保', in_kind: '统筹使用，不直接发给个人', cap: '最高限额', rate: '报销或补助比例', loan: '贷款额度',
};

const CATEGORY_ORDER = new Map<string, number>(POLICY_CATEGORIES.map((c, i) => [c, i]));

export function buildContent({ household, result, packs }: MingbaizhiInput): MingbaizhiContent {
  const policyOf = (d: Decision): CompiledPolicy | undefined => packs.find((p) => p.manifest.id === d.pack)?.byId.get(d.policy);
  const eligible = result.decisions.filter((d) => d.status === 'eligible');
  const entitlements = eligible.filter((d) => d.measure === null);
  const measures = eligible.filter((d) => d.measure !== null);
  const undetermined = result.decisions.filter((d) => d.status === 'undetermined');

  const groups = new Map<PolicyCategory, PolicyLine[]>();
  for (const line of policyLines(entitlements, household.members.length, policyOf)) {
    groups.set(line.category, [...(groups.get(line.category) ?? []), line.line]);
  }
  const entitlementGroups = [...groups.entries()]
    .sort(([a], [b]) => (CATEGORY_ORDER.get(a) ?? 99) - (CATEGORY_ORDER.get(b) ?? 99))
    .map(([category, lines]) => ({ category, lines }));

  const measureLines = policyLines(measures, household.members.length, policyOf)
    .sort((a, b) => Number(b.decision.measure === 'required') - Number(a.decision.measure === 'required'))
    .map(({ line, decision }): MeasureLine => {
      const source = policyOf(decision)?.source;
      const detail = [source?.frequency, source?.actor && source.actor !== '结对帮扶人' ? `由${source.actor}落实` : ''].filter(Boolean).join('；');
      return { ...line, mark: decision.measure === 'required' ? '★' : '●', detail };
    });

  const missing = missingLines(undetermined, household.members.length);
  const packInfo = result.packs.map((p) => packs.find((k) => k.manifest.id === p.id));
  const files = new Set<string>();
  for (const pack of packInfo) if (pack) files.add(pack.manifest.source.file);
  for (const d of [...eligible, ...undetermined]) for (const c of d.citations) files.add(c.file);

  return {
    householdId: household.id,
    head: household.members.find((m) => m.relation === '户主')?.name ?? household.members[0]?.name ?? '',
    area: [household.area.county, household.area.town, household.area.village].filter(Boolean).join(''),
    date: result.date,
    packNames: packInfo.flatMap((p) => (p ? [p.manifest.name] : [])),
    categories: household.categories.length
      ? household.categories.map((c) => `${c.type}${c.class ? `（${c.class}）` : ''}，${c.from} 纳入${c.to ? `，${c.to} 退出` : ''}`).join('；')
      : '未登记',
    income: household.incomePerHead ? `${household.incomePerHead.amountYuan} 元/${household.incomePerHead.period}` : '未登记',
    members: household.members.map((m, index) => ({
      index, name: m.name, relation: m.relation, idNumber: m.idNumber ? maskIdCard(m.idNumber) : '未登记', notes: memberNotes(m),
    })),
    entitlements: entitlementGroups,
    entitlementCount: entitlementGroups.reduce((n, g) => n + g.lines.length, 0),
    totals: totalLines(entitlements),
    measures: measureLines,
    missing: missing.slice(0, MAX_MISSING),
    missingMore: Math.max(0, missing.length - MAX_MISSING),
    conflicts: result.conflicts.map((c) => `${c.member?.name ?? '全户'}：${c.message}`),
    packs: result.packs.map((p, i) => `${packInfo[i]?.manifest.name ?? p.id}（${p.id} v${p.version}）`),
    sourceFiles: [...files].sort(),
  };
}

/** One line per policy and amount: members who get the same amount share a line. */
function policyLines(decisions: Decision[], memberCount: number, policyOf: (d: Decision) => CompiledPolicy | undefined): { category: PolicyCategory; decision: Decision; line: PolicyLine }[] {
  const byKey = new Map<string, Decision[]>();
  for (const d of decisions) {
    const key = `${d.pack}/${d.policy}/${amountText(d)}/${amountNote(d)}`;
    byKey.set(key, [...(byKey.get(key) ?? []), d]);
  }
  return [...byKey.values()].map((group) => {
    const first = group[0] as Decision;
    const authority = (policyOf(first)?.source.authority ?? []).map((a) => ({ department: a.department, phone: a.phone ?? '' }));
    const who = group.some((d) => d.member === null) ? ['全户'] : wholeFamily(group.map((d) => d.member?.name ?? ''), memberCount);
    return {
      category: first.category,
      decision: first,
      line: { name: first.name, benefit: clip(first.benefit, MAX_BENEFIT), who, amount: amountText(first), amountNote: amountNote(first), authority },
    };
  });
}

/** A benefit text longer than this is cut: a table row must stay well under a page. */
const MAX_BENEFIT = 160;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export const NO_AMOUNT = '按规定享受';

/** The amount as the household reads it: "50 元/人·年", "10 个百分点", "90%"; a percent's unit text goes to the note. */
export function amountText(d: Decision): string {
  const a = d.amount;
  if (!a) return NO_AMOUNT;
  if (a.yuan !== null) return `${a.yuan} ${a.unit}`;
  const percent = a.percent ?? '?';
  if (a.unit.startsWith('个百分点')) return `${percent} 个百分点`;
  return `${percent}%`;
}

/** What the amount is: a percent's own description ("住院报销比例提高"), else what kind of money it is. */
export function amountNote(d: Decision): string {
  const a = d.amount;
  if (!a) return '';
  if (a.yuan === null) {
    const detail = a.unit.replace(/^(个百分点|%)\s*/, '').replace(/^（(.*)）$/, '$1').trim();
    return detail || KIND_NOTE[a.kind];
  }
  // A unit that already says 最高 or 上限 needs no second "最高限额".
  if (a.kind === 'cap' && /最高|上限/.test(a.unit)) return '';
  return KIND_NOTE[a.kind];
}

/** One line per period (每年, 每学期, 每月, 一次性), with what each member gets in it. */
function totalLines(entitlements: Decision[]): TotalLine[] {
  const totals = totalEntitlements(entitlements);
  return totals.household.map((t) => {
    const parts: string[] = [];
    let members = 0;
    for (const m of totals.byMember) {
      const mine = m.totals.find((x) => x.period === t.period);
      if (!mine) continue;
      members += mine.fen;
      parts.push(`${m.name} ${formatYuan(mine.fen)}`);
    }
    if (t.fen - members > 0) parts.unshift(`全户 ${formatYuan(t.fen - members)}`);
    return { period: t.period, total: `${formatYuan(t.fen)} 元`, breakdown: `${t.count} 项：${parts.join('；')}` };
  });
}

/** Every member of a family of three or more is 全家 N 人: shorter, and no name is left out by mistake. */
function wholeFamily(names: string[], memberCount: number): string[] {
  return memberCount >= 3 && new Set(names).size === memberCount ? [`全家 ${memberCount} 人`] : names;
}

/** The 明白纸 stays short: the facts that decide the most policies first, at most this many rows. */
export const MAX_MISSING = 6;
const MAX_POLICIES_PER_MISSING = 3;

/** What to find out, once per fact, with who it concerns and which policies wait for it. */
function missingLines(undetermined: Decision[], memberCount: number): MissingLine[] {
  const byFact = new Map<string, { what: string; who: Set<string>; policies: Set<string> }>();
  for (const d of undetermined) {
    for (const m of d.missing) {
      const local = m.fact.startsWith('local.');
      const entry = byFact.get(m.fact) ?? { what: m.label, who: new Set<string>(), policies: new Set<string>() };
      entry.who.add(local ? '由经办单位核实' : d.member?.name ?? '全户');
      entry.policies.add(d.name);
      byFact.set(m.fact, entry);
    }
  }
  return [...byFact.values()]
    .sort((a, b) => b.policies.size - a.policies.size)
    .map((e) => {
      const policies = [...e.policies];
      const shown = policies.length > MAX_POLICIES_PER_MISSING
        ? [...policies.slice(0, MAX_POLICIES_PER_MISSING - 1), `${policies[MAX_POLICIES_PER_MISSING - 1]}等 ${policies.length} 项`]
        : policies;
      return { what: e.what, who: wholeFamily([...e.who], memberCount), policies: shown };
    });
}

/** A few words on the member's situation, as the household would describe it; never the birth date. */
function memberNotes(m: Member): string {
  const notes: string[] = [];
  if (m.school) notes.push(`${m.school.stage}在读${m.school.boarding ? '（寄宿）' : ''}`);
  if (m.disability) notes.push(`残疾${m.disability.grade}级${m.disability.kind ? `（${m.disability.kind}）` : ''}`);
  if (m.chronicIllnesses?.length) notes.push(`慢性病：${m.chronicIllnesses.join('、')}`);
  if (m.seriousIllness) notes.push('重病');
  if (m.labourAbility && m.labourAbility !== '有劳动能力') notes.push(m.labourAbility);
  if (m.employment) notes.push(`${m.employment.status}${m.employment.location ? `（${m.employment.location}）` : ''}`);
  if (m.childStatus && m.childStatus !== '非困境儿童') notes.push(m.childStatus);
  return notes.join('；');
}
