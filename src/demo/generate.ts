/** @module Synthetic demo households for 渝北区, 渝中区 and 正安县: seeded, realistic in shape, never real people. */
import type { HouseholdInput, Member } from '../core/model/household.ts';
import type { HouseholdCategory } from '../core/model/vocabulary.ts';
import { fakeIdNumber } from './id-numbers.ts';

export interface DemoArea { county: string; town: string; village: string; region: string; rural: boolean }

/** 区划 names used for the demo; the region code is the county's 6-digit 行政区划代码 used in the fake 身份证号. */
export const DEMO_AREAS: readonly DemoArea[] = [
  { county: '渝北区', town: '兴隆镇', village: '牌坊村', region: '500112', rural: true },
  { county: '渝北区', town: '兴隆镇', village: '杉树村', region: '500112', rural: true },
  { county: '渝北区', town: '茨竹镇', village: '放牛坪村', region: '500112', rural: true },
  { county: '渝北区', town: '大盛镇', village: '青龙村', region: '500112', rural: true },
  { county: '渝中区', town: '解放碑街道', village: '民生路社区', region: '500103', rural: false },
  { county: '渝中区', town: '化龙桥街道', village: '红岩村社区', region: '500103', rural: false },
  { county: '正安县', town: '安场镇', village: '自强村', region: '520324', rural: true },
  { county: '正安县', town: '瑞溪镇', village: '天池村', region: '520324', rural: true },
];

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '胡', '朱', '高', '何', '罗', '郑', '谢', '唐', '冉', '谭', '向', '邓'];
const MALE = ['建国', '国强', '德华', '志明', '永福', '春生', '海军', '长江', '文斌', '明亮', '大勇', '家兴', '世平', '光荣'];
const FEMALE = ['秀英', '桂兰', '玉梅', '淑芬', '春燕', '丽萍', '小红', '翠华', '美玲', '晓燕', '金凤', '素珍'];
const CHILD_M = ['子豪', '浩然', '宇航', '俊杰', '梓轩', '博文', '一鸣', '嘉乐'];
const CHILD_F = ['欣怡', '梓涵', '诗琪', '雨萱', '佳怡', '若曦', '思雨', '可欣'];
const ILLNESSES = ['高血压', '糖尿病', '慢阻肺', '冠心病', '类风湿关节炎'];

/** mulberry32: small, fast, reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateHouseholds(count: number, seed = 20240601, asOf = '2024-06-30'): HouseholdInput[] {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const chance = (p: number) => random() < p;
  const year = Number(asOf.slice(0, 4));
  const usedIds = new Set<string>();
  const birth = (age: number) => {
    const y = year - age;
    const m = 1 + Math.floor(random() * 12);
    const d = 1 + Math.floor(random() * 28);
    return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  };
  const id = (region: string, age: number, sex: '男' | '女') => {
    for (;;) {
      const candidate = fakeIdNumber(region, birth(age), sex, Math.floor(random() * 100));
      if (!usedIds.has(candidate)) {
        usedIds.add(candidate);
        return candidate;
      }
    }
  };
  const stageFor = (age: number): Member['school'] => {
    if (age < 3) return undefined;
    if (age <= 5) return { stage: '学前' };
    if (age <= 11) return { stage: '小学', boarding: chance(0.2) };
    if (age <= 14) return { stage: '初中', boarding: chance(0.5) };
    if (age <= 17) return { stage: chance(0.7) ? '高中' : '中职', boarding: chance(0.6) };
    if (age <= 22 && chance(0.5)) return { stage: chance(0.6) ? '本专科' : '高职' };
    return undefined;
  };

  const households: HouseholdInput[] = [];
  for (let i = 0; i < count; i++) {
    const area = DEMO_AREAS[i % DEMO_AREAS.length] as DemoArea;
    const surname = pick(SURNAMES);
    const headSex = chance(0.8) ? '男' : '女';
    const headAge = 30 + Math.floor(random() * 50);
    const members: HouseholdInput['members'] = [];
    const adult = (name: string, sex: '男' | '女', age: number, relation: Member['relation']) => {
      const member: HouseholdInput['members'][number] = { name, idNumber: id(area.region, age, sex), relation, localHukou: true, insurance: { medicalEnrolled: chance(0.95) } };
      if (age >= 60) member.insurance = { ...member.insurance, pensionEnrolled: true };
      if (chance(0.12)) member.disability = { grade: 1 + Math.floor(random() * 4), kind: pick(['肢体', '视力', '听力', '智力', '精神']) };
      if (age >= 45 && chance(0.3)) member.chronicIllnesses = [pick(ILLNESSES)];
      if (chance(0.04)) member.seriousIllness = true;
      if (age >= 16 && age < 60) {
        member.labourAbility = member.disability && member.disability.grade <= 2 ? '弱劳动能力' : '有劳动能力';
        member.employment = chance(0.6)
          ? { status: '务工', location: pick(['区县内', '区县外市内', '市外省内', '省外'] as const), stableMonths: 1 + Math.floor(random() * 24) }
          : { status: pick(['务农', '公益性岗位', '失业'] as const) };
      } else if (age >= 60) member.labourAbility = chance(0.5) ? '弱劳动能力' : '有劳动能力';
      members.push(member);
    };
    adult(surname + pick(headSex === '男' ? MALE : FEMALE), headSex, headAge, '户主');
    if (chance(0.8)) {
      const sex = headSex === '男' ? '女' : '男';
      adult(pick(SURNAMES) + pick(sex === '男' ? MALE : FEMALE), sex, Math.max(20, headAge - 3 + Math.floor(random() * 7)), '配偶');
    }
    const children = headAge < 65 ? Math.floor(random() * 3) : 0;
    for (let c = 0; c < children; c++) {
      const age = Math.max(0, headAge - 22 - Math.floor(random() * 12));
      const sex = chance(0.5) ? '男' : '女';
      const name = surname + pick(sex === '男' ? CHILD_M : CHILD_F);
      const school = stageFor(age);
      if (age >= 16) {
        adult(name, sex, age, '子女');
        const last = members[members.length - 1];
        if (last && school) Object.assign(last, { school, employment: { status: '在校' } });
      } else members.push({ name, idNumber: id(area.region, age, sex), relation: '子女', localHukou: true, insurance: { medicalEnrolled: true }, ...(school ? { school } : {}) });
    }
    if (headAge < 50 && chance(0.3)) {
      const age = headAge + 25 + Math.floor(random() * 8);
      if (age <= 95) adult(surname + pick(MALE), '男', age, '父母');
    }

    const categories: NonNullable<HouseholdInput['categories']> = [];
    const roll = random();
    const add = (type: HouseholdCategory, from: string, extra: Partial<NonNullable<HouseholdInput['categories']>[number]> = {}) => categories.push({ type, from, ...extra });
    if (area.rural) {
      if (roll < 0.45) add('脱贫户', `${2014 + Math.floor(random() * 6)}-12-31`);
      else if (roll < 0.6) add('监测户', `${2021 + Math.floor(random() * 3)}-0${1 + Math.floor(random() * 9)}-15`, { class: pick(['脱贫不稳定户', '边缘易致贫户', '突发严重困难户'] as const) });
      if (chance(0.15)) add('农村低保', `${2018 + Math.floor(random() * 5)}-03-01`, { class: pick(['A类', 'B类', 'C类'] as const) });
      if (members.length === 1 && headAge >= 60 && chance(0.5)) add('特困', '2019-07-01');
    } else {
      if (roll < 0.3) add('城市低保', `${2018 + Math.floor(random() * 5)}-05-01`, { class: pick(['A类', 'B类', 'C类'] as const) });
      else if (roll < 0.4) add('低保边缘', '2022-01-01');
    }
    const monthly = Math.round((area.rural ? 500 + random() * 1200 : 700 + random() * 1800) * 100) / 100;
    households.push({
      id: `${area.region}-${String(i + 1).padStart(5, '0')}`,
      area: { county: area.county, town: area.town, village: area.village },
      categories,
      incomePerHead: { amountYuan: monthly, period: '月' },
      housing: { grade: pick(['A', 'A', 'B', 'B', 'C', 'D'] as const) },
      ...(area.rural ? { centralWaterSupply: chance(0.7) } : {}),
      members,
    });
  }
  return households;
}
