/**
 * @module A deterministic synthetic registry of 渝北区 households for the screening benchmark: the same seed and
 * index always give the same household, so any slice can be regenerated without holding the whole population.
 */
import { idCardCheckChar } from '../src/core/model/id-card.ts';
import type { Household, Member } from '../src/core/model/household.ts';

export { rng } from '../src/demo/generate.ts';
import { rng } from '../src/demo/generate.ts';

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
/** Picks by cumulative weights: [[value, weight], ...]. */
function weighted<T>(r: Rand, table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [v, w] of table) if ((x -= w) < 0) return v;
  return (table[table.length - 1] as readonly [T, number])[0];
}
const maybe = <T>(r: Rand, p: number, v: () => T): T | undefined => (r() < p ? v() : undefined);

const TOWNS = ['双龙湖街道', '龙溪街道', '木耳镇', '兴隆镇', '茨竹镇', '大湾镇', '洛碛镇', '统景镇', '大盛镇', '古路镇'];
const SIZES = [[1, 15], [2, 25], [3, 25], [4, 18], [5, 10], [6, 7]] as const;
const GRADES = [['A', 55], ['B', 25], ['C', 10], ['D', 7], ['无房', 3]] as const;
const LOCATIONS = [['区县内', 40], ['区县外市内', 30], ['市外省内', 10], ['省外', 20]] as const;
const ILLNESSES = ['高血压', '糖尿病', '肺结核', '严重精神障碍', '冠心病'];
const BIG_YEAR = 2023;

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

function birthDate(r: Rand, age: number): string {
  const year = BIG_YEAR - age;
  const month = 1 + Math.floor(r() * 12);
  const day = 1 + Math.floor(r() * 28);
  return `${year}-${pad(month, 2)}-${pad(day, 2)}`;
}

function idNumber(r: Rand, birth: string, male: boolean): string {
  const seq = Math.floor(r() * 100) * 10 + (male ? 1 : 0) + Math.floor(r() * 5) * 2;
  const first17 = `500112${birth.replaceAll('-', '')}${pad(seq % 1000, 3)}`;
  return first17 + idCardCheckChar(first17);
}

function school(r: Rand, age: number): Member['school'] {
  const boarding = r() < 0.3;
  // Ages are as of 2023; records run from 2 to 25 so that members of school age (3–24) on any date of 2022–2024 have one.
  if (age === 2) return { stage: '未入学', boarding: false };
  if (age >= 3 && age <= 5) return { stage: r() < 0.9 ? '学前' : '未入学', boarding: false, publicKindergarten: r() < 0.6 };
  if (age >= 6 && age <= 11) return { stage: '小学', boarding, urbanSchool: r() < 0.4 };
  if (age >= 12 && age <= 14) return { stage: '初中', boarding, urbanSchool: r() < 0.4 };
  if (age >= 15 && age <= 17) {
    const stage = weighted(r, [['高中', 60], ['中职', 30], ['辍学', 10]] as const);
    return stage === '中职'
      ? { stage, boarding, year: 1 + (age - 15), major: weighted(r, [['涉农专业', 20], ['艺术类表演专业', 5], ['其他专业', 75]] as const) }
      : { stage, boarding };
  }
  if (age >= 18 && age <= 25) {
    const stage = weighted(r, [['本专科', 30], ['高职', 15], ['已毕业', 45], ['辍学', 10]] as const);
    return { stage, boarding: stage === '本专科' || stage === '高职' ? r() < 0.8 : false };
  }
  return undefined;
}

function member(r: Rand, relation: Member['relation'], age: number, male: boolean): Member {
  const birth = birthDate(r, age);
  const m: Member = { name: relation === '户主' ? '户主' : `成员${Math.floor(r() * 100)}`, relation, idNumber: idNumber(r, birth, male), localHukou: r() < 0.97 };
  const sch = school(r, age);
  if (sch) m.school = sch;
  if (r() < 0.06) m.disability = { grade: 1 + Math.floor(r() * 4), kind: pick(r, ['肢体', '视力', '听力', '智力', '精神']) };
  if (age >= 40 && r() < 0.25) m.chronicIllnesses = [pick(r, ILLNESSES)];
  m.seriousIllness = r() < 0.03;
  const studying = sch !== undefined && ['学前', '小学', '初中', '高中', '中职', '本专科', '高职'].includes(sch.stage);
  if (age >= 16) m.labourAbility = age >= 75 ? weighted(r, [['弱劳动能力', 40], ['半失能', 40], ['失能', 20]] as const)
    : weighted(r, [['有劳动能力', 75], ['弱劳动能力', 12], ['半失能', 9], ['失能', 4]] as const);
  if (studying) m.employment = { status: '在校' };
  else if (age < 16) m.employment = { status: '无劳动能力' };
  else if (age >= 60) m.employment = { status: weighted(r, [['退休', 30], ['务农', 50], ['无劳动能力', 20]] as const) };
  else {
    const status = weighted(r, [['务工', 45], ['务农', 25], ['失业', 10], ['公益性岗位', 3], ['自主创业', 5], ['无劳动能力', 12]] as const);
    m.employment = status === '务工'
      ? { status, location: weighted(r, LOCATIONS), stableMonths: Math.floor(r() * 24), willingToWork: true }
      : status === '失业' ? { status, willingToWork: r() < 0.7 } : { status };
  }
  m.insurance = { medicalEnrolled: r() < 0.92, medicalTier: r() < 0.8 ? '一档' : '二档', pensionEnrolled: age >= 16 ? r() < 0.7 : false };
  const trainingWish = maybe(r, 0.5, () => r() < 0.2);
  if (trainingWish !== undefined) m.trainingWish = trainingWish;
  if (age >= 18 && age < 60) m.startupWish = r() < 0.05;
  m.familyDoctorWish = r() < 0.6;
  m.listedMajorDisease = r() < 0.01;
  return m;
}

/** The members of a household of a given size: a head, maybe a spouse, children, maybe a parent. */
function members(r: Rand, size: number): Member[] {
  const headAge = 25 + Math.floor(r() * 60);
  const headMale = r() < 0.75;
  const out = [member(r, '户主', headAge, headMale)];
  if (size >= 2 && r() < 0.8) out.push(member(r, '配偶', Math.max(20, headAge - 5 + Math.floor(r() * 10)), !headMale));
  while (out.length < size) {
    if (headAge >= 45 && r() < 0.15) out.push(member(r, '孙子女', Math.floor(r() * 16), r() < 0.5));
    else if (headAge <= 50 && r() < 0.15) out.push(member(r, '父母', Math.min(100, headAge + 22 + Math.floor(r() * 10)), r() < 0.5));
    else out.push(member(r, '子女', Math.max(0, Math.min(headAge - 18, Math.floor(r() * 30))), r() < 0.5));
  }
  return out;
}

function categories(r: Rand): Household['categories'] {
  const out: Household['categories'] = [];
  const tuopin = r();
  if (tuopin < 0.32) out.push({ type: '脱贫户', from: `${2014 + Math.floor(r() * 6)}-0${1 + Math.floor(r() * 9)}-15` });
  else if (tuopin < 0.35) out.push({ type: '脱贫户', from: '2016-03-01', to: '2021-12-31' }); // left the register before the date
  if (r() < 0.06) out.push({ type: '监测户', class: pick(r, ['脱贫不稳定户', '边缘易致贫户', '突发严重困难户'] as const), riskEliminated: r() < 0.3, from: '2021-06-01' });
  const dibao = r();
  if (dibao < 0.12) out.push({ type: '农村低保', class: pick(r, ['A类', 'B类', 'C类'] as const), from: '2019-01-01' });
  else if (dibao < 0.15) out.push({ type: '城市低保', class: pick(r, ['A类', 'B类'] as const), from: '2020-05-01' });
  if (r() < 0.02) out.push({ type: '特困', from: '2018-01-01' });
  if (r() < 0.03) out.push({ type: '低保边缘', from: '2021-10-01' });
  return out;
}

/** The household with a given index; `seed` picks the population. */
export function householdAt(seed: number, index: number): Household {
  const r = rng((seed * 0x9e3779b1) ^ (index * 0x85ebca6b) ^ 0x27d4eb2f);
  const size = weighted(r, SIZES);
  const h: Household = {
    id: `YB${pad(index, 8)}`,
    area: { county: '渝北区', town: pick(r, TOWNS), village: `第${1 + Math.floor(r() * 20)}村`, povertyVillage: r() < 0.2 },
    categories: categories(r),
    housing: { grade: weighted(r, GRADES), rentsSafeHousing: r() < 0.05 },
    hukouType: weighted(r, [['农村', 80], ['县镇非农', 10], ['城市', 10]] as const),
    centralWaterSupply: r() < 0.7,
    developsIndustry: r() < 0.3,
    agriInsured: r() < 0.4,
    collectiveDividend: r() < 0.2,
    members: members(r, size),
  };
  if (r() < 0.85) h.incomePerHead = { amountYuan: Math.floor(200 + r() * 3000), period: '月' };
  if (r() < 0.1) h.microcredit = { status: weighted(r, [['在贷', 50], ['有贷款需求', 30], ['无', 20]] as const) };
  if (r() < 0.03) h.business = { kinds: [pick(r, ['农家乐', '扶贫农民专业合作社', '新型农业经营主体'] as const)], linkedPoorHouseholds: Math.floor(r() * 40), poorEmployees: Math.floor(r() * 10) };
  return h;
}

/** Households from `start` on until `persons` members are collected (the last household is kept whole). */
export function* households(seed: number, persons: number, start = 0): Generator<Household> {
  let count = 0;
  for (let i = start; count < persons; i++) {
    const h = householdAt(seed, i);
    count += h.members.length;
    yield h;
  }
}

/** A chunk of whole households holding at least `persons` members, from household index `start`. */
export function chunk(seed: number, start: number, persons: number): Household[] {
  return [...households(seed, persons, start)];
}

export function personCount(hs: readonly Household[]): number {
  let n = 0;
  for (const h of hs) n += h.members.length;
  return n;
}
