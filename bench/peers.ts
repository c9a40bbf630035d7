/**
 * @module The ten comparison rules (bench/ten-rules) written for the peers: a plain hand-written TypeScript function,
 * json-rules-engine and @gorules/zen-engine. Each reports a household's awards to a Sink as (rule, member, fen), with
 * rule = the policy's position in the ten-rules pack and member = -1 for the household rule (危房改造).
 */
import { Engine, type TopLevelCondition } from 'json-rules-engine';
import { ZenDecisionContent, ZenEngine, type ZenDecision } from '@gorules/zen-engine';
import type { Household } from '../src/core/model/household.ts';

export interface Sink {
  add(household: number, rule: number, member: number, fen: number): void;
}

/** Sums awards: what the timed runs keep, so no implementation can skip work nobody reads. */
export class SumSink implements Sink {
  count = 0;
  fen = 0;
  add(_household: number, _rule: number, _member: number, fen: number): void {
    this.count++;
    this.fen += fen;
  }
}

/** Keeps every award as text, for the correctness check. */
export class ListSink implements Sink {
  readonly rows: string[] = [];
  add(household: number, rule: number, member: number, fen: number): void {
    this.rows.push(`${household}/${rule}/${member}/${fen}`);
  }
}

export const RULES = [
  'bench.medical-premium', 'bench.preschool', 'bench.primary', 'bench.junior', 'bench.senior', 'bench.vocational',
  'bench.disability-living', 'bench.disability-care', 'bench.travel', 'bench.housing',
] as const;

/** 医保参保资助 on a date, in fen: 2022 → 100 元, 2023 → 50 元, from 2024 none. */
export function premiumFen(date: string): number | null {
  if (date >= '2024-01-01') return null;
  if (date >= '2023-01-01') return 5000;
  return 10000;
}

function active(h: Household, type: string, date: string): boolean {
  for (const c of h.categories) if (c.type === type && c.from <= date && (c.to == null || date <= c.to)) return true;
  return false;
}

// ---- plain TypeScript ------------------------------------------------------------------------------------------------

/** The ten rules by hand, reading the household record directly. */
export function handWritten(h: Household, hi: number, date: string, premium: number | null, sink: Sink): void {
  const tuopin = active(h, '脱贫户', date);
  const dibao = active(h, '农村低保', date) || active(h, '城市低保', date);
  const members = h.members;
  for (let i = 0; i < members.length; i++) {
    const m = members[i] as Household['members'][number];
    const grade = m.disability?.grade ?? 0;
    if (grade > 0 && dibao) sink.add(hi, 6, i, 7000);
    if (grade === 1) sink.add(hi, 7, i, 10000);
    else if (grade === 2) sink.add(hi, 7, i, 8334);
    if (!tuopin) continue;
    if (premium !== null && m.insurance?.medicalEnrolled === true) sink.add(hi, 0, i, premium);
    const school = m.school;
    if (school) {
      switch (school.stage) {
        case '学前': sink.add(hi, 1, i, 216000); break;
        case '小学': sink.add(hi, 2, i, school.boarding ? 100000 : 120000); break;
        case '初中': sink.add(hi, 3, i, school.boarding ? 125000 : 140000); break;
        case '高中': sink.add(hi, 4, i, 300000); break;
        case '中职': sink.add(hi, 5, i, 300000); break;
      }
    }
    const job = m.employment;
    if (m.localHukou === true && job?.status === '务工') {
      const where = job.location;
      if (where === '区县外市内') sink.add(hi, 8, i, 5000);
      else if (where === '市外省内' || where === '省外') sink.add(hi, 8, i, 10000);
    }
  }
  const grade = h.housing?.grade;
  if (tuopin && (grade === 'C' || grade === 'D')) {
    sink.add(hi, 9, -1, grade === 'C' ? 3800000 : members.length === 1 ? 4000000 : members.length === 2 ? 6000000 : 8000000);
  }
}

// ---- facts for the rules engines ------------------------------------------------------------------------------------

/** One person as the rules engines see them: flat facts, the household's with each member. */
export interface PersonFacts {
  household: number;
  member: number;
  head: boolean;
  categories: string[];
  size: number;
  housingGrade: string | null;
  medicalEnrolled: boolean;
  stage: string | null;
  boarding: boolean;
  disabilityGrade: number;
  localHukou: boolean;
  employmentStatus: string | null;
  workLocation: string | null;
}

export function personFacts(h: Household, hi: number, date: string): PersonFacts[] {
  const categories: string[] = [];
  for (const c of h.categories) if (c.from <= date && (c.to == null || date <= c.to) && !categories.includes(c.type)) categories.push(c.type);
  return h.members.map((m, i) => ({
    household: hi,
    member: i,
    head: i === 0,
    categories,
    size: h.members.length,
    housingGrade: h.housing?.grade ?? null,
    medicalEnrolled: m.insurance?.medicalEnrolled === true,
    stage: m.school?.stage ?? null,
    boarding: m.school?.boarding === true,
    disabilityGrade: m.disability?.grade ?? 0,
    localHukou: m.localHukou === true,
    employmentStatus: m.employment?.status ?? null,
    workLocation: m.employment?.location ?? null,
  }));
}

/** One row per (rule, amount): the conditions that pay it, as field → allowed values / test. */
interface Row { rule: number; fen: number; household?: true; when: Record<string, unknown> }

function rows(date: string): Row[] {
  const premium = premiumFen(date);
  const T = { tuopin: true };
  const out: Row[] = [];
  if (premium !== null) out.push({ rule: 0, fen: premium, when: { ...T, medicalEnrolled: true } });
  out.push(
    { rule: 1, fen: 216000, when: { ...T, stage: '学前' } },
    { rule: 2, fen: 100000, when: { ...T, stage: '小学', boarding: true } },
    { rule: 2, fen: 120000, when: { ...T, stage: '小学', boarding: false } },
    { rule: 3, fen: 125000, when: { ...T, stage: '初中', boarding: true } },
    { rule: 3, fen: 140000, when: { ...T, stage: '初中', boarding: false } },
    { rule: 4, fen: 300000, when: { ...T, stage: '高中' } },
    { rule: 5, fen: 300000, when: { ...T, stage: '中职' } },
    { rule: 6, fen: 7000, when: { disabled: true, dibao: true } },
    { rule: 7, fen: 10000, when: { disabilityGrade: 1 } },
    { rule: 7, fen: 8334, when: { disabilityGrade: 2 } },
    { rule: 8, fen: 5000, when: { ...T, localHukou: true, employmentStatus: '务工', workLocation: ['区县外市内'] } },
    { rule: 8, fen: 10000, when: { ...T, localHukou: true, employmentStatus: '务工', workLocation: ['市外省内', '省外'] } },
    { rule: 9, fen: 3800000, household: true, when: { ...T, housingGrade: 'C' } },
    { rule: 9, fen: 4000000, household: true, when: { ...T, housingGrade: 'D', size: 1 } },
    { rule: 9, fen: 6000000, household: true, when: { ...T, housingGrade: 'D', size: 2 } },
    { rule: 9, fen: 8000000, household: true, when: { ...T, housingGrade: 'D', size: 3 } },
  );
  return out;
}

// ---- json-rules-engine ----------------------------------------------------------------------------------------------

/** A condition inside all / any (json-rules-engine does not export the type). */
type Nested = Extract<TopLevelCondition, { all: unknown }>['all'][number];

function jsonCondition(field: string, value: unknown): Nested {
  switch (field) {
    case 'tuopin': return { fact: 'categories', operator: 'contains', value: '脱贫户' };
    case 'dibao': return { any: [{ fact: 'categories', operator: 'contains', value: '农村低保' }, { fact: 'categories', operator: 'contains', value: '城市低保' }] };
    case 'disabled': return { fact: 'disabilityGrade', operator: 'greaterThan', value: 0 };
    case 'size': return { fact: 'size', operator: 'greaterThanInclusive', value: value as number };
    default: return Array.isArray(value) ? { fact: field, operator: 'in', value } : { fact: field, operator: 'equal', value };
  }
}

export function jsonRulesEngine(date: string): Engine {
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const r of rows(date)) {
    const all: Nested[] = Object.entries(r.when).map(([k, v]) => jsonCondition(k, v));
    // Size 3 means "3 or more"; 1 and 2 must match exactly.
    if (r.rule === 9 && r.when.size !== undefined && r.when.size !== 3) all.splice(-1, 1, { fact: 'size', operator: 'equal', value: r.when.size as number });
    if (r.household) all.push({ fact: 'head', operator: 'equal', value: true });
    engine.addRule({ conditions: { all }, event: { type: 'award', params: { rule: r.rule, fen: r.fen, household: r.household === true } } });
  }
  return engine;
}

export async function runJsonRules(engine: Engine, hs: readonly Household[], from: number, date: string, sink: Sink): Promise<void> {
  for (let k = 0; k < hs.length; k++) {
    for (const p of personFacts(hs[k] as Household, from + k, date)) {
      const { events } = await engine.run(p as unknown as Record<string, unknown>);
      for (const e of events) {
        const params = e.params as { rule: number; fen: number; household: boolean };
        sink.add(p.household, params.rule, params.household ? -1 : p.member, params.fen);
      }
    }
  }
}

// ---- zen-engine -----------------------------------------------------------------------------------------------------

const ZEN_FIELDS = ['tuopin', 'dibao', 'disabilityGrade', 'medicalEnrolled', 'stage', 'boarding', 'localHukou', 'employmentStatus', 'workLocation', 'housingGrade', 'size', 'head'];

function zenCell(field: string, value: unknown): string {
  if (field === 'tuopin') return 'contains(categories, "脱贫户")';
  if (field === 'dibao') return 'contains(categories, "农村低保") or contains(categories, "城市低保")';
  if (field === 'size') return value === 3 ? '>= 3' : String(value);
  if (Array.isArray(value)) return value.map((v) => JSON.stringify(v)).join(', ');
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** One decision table (hit policy collect) run over the batch's persons with executionMode "loop". */
export function zenDecision(date: string): { engine: ZenEngine; decision: ZenDecision } {
  const table = rows(date).map((r, i) => {
    const row: Record<string, string> = { _id: `r${i}`, rule: String(r.rule), fen: String(r.fen), household: String(r.household === true) };
    for (const f of ZEN_FIELDS) row[`c_${f}`] = '';
    for (const [k, v] of Object.entries(r.when)) row[`c_${k === 'disabled' ? 'disabilityGrade' : k}`] = k === 'disabled' ? '> 0' : zenCell(k, v);
    if (r.household) row.c_head = 'true';
    return row;
  });
  const jdm = {
    nodes: [
      { id: 'in', name: 'request', type: 'inputNode', position: { x: 0, y: 0 } },
      {
        id: 'table', name: 'ten-rules', type: 'decisionTableNode', position: { x: 200, y: 0 },
        content: {
          hitPolicy: 'collect', passThrough: false, inputField: 'persons', outputPath: 'results', executionMode: 'loop',
          inputs: ZEN_FIELDS.map((f) => ({ id: `c_${f}`, name: f, field: f === 'tuopin' || f === 'dibao' ? undefined : f })),
          outputs: [{ id: 'rule', name: 'rule', field: 'rule' }, { id: 'fen', name: 'fen', field: 'fen' }, { id: 'household', name: 'household', field: 'household' }],
          rules: table,
        },
      },
      { id: 'out', name: 'response', type: 'outputNode', position: { x: 400, y: 0 } },
    ],
    edges: [
      { id: 'e1', sourceId: 'in', targetId: 'table', type: 'edge' },
      { id: 'e2', sourceId: 'table', targetId: 'out', type: 'edge' },
    ],
  };
  const engine = new ZenEngine();
  return { engine, decision: engine.createDecision(new ZenDecisionContent(jdm)) };
}

export async function runZen(decision: ZenDecision, hs: readonly Household[], from: number, date: string, sink: Sink, batch = 2000): Promise<void> {
  let persons: PersonFacts[] = [];
  const flush = async () => {
    const { result } = await decision.evaluate({ persons });
    const results = (result as { results: { rule: number; fen: number; household: boolean }[][] }).results;
    results.forEach((awards, i) => {
      const p = persons[i] as PersonFacts;
      for (const a of awards) sink.add(p.household, a.rule, a.household ? -1 : p.member, a.fen);
    });
    persons = [];
  };
  for (let k = 0; k < hs.length; k++) {
    persons.push(...personFacts(hs[k] as Household, from + k, date));
    if (persons.length >= batch) await flush();
  }
  if (persons.length > 0) await flush();
}
