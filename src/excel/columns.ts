/** @module The Excel sheet layout shared by the import template, the import and the export: one row per member, Chinese headers. */
import {
  EMPLOYMENT_STATUSES, HOUSEHOLD_CATEGORIES, HOUSING_GRADES, LABOUR_ABILITIES, RELATIONS, SCHOOL_STAGES, SEXES, WORK_LOCATIONS,
} from '../core/model/vocabulary.ts';

export type ColumnLevel = 'household' | 'category' | 'member';

export interface Column {
  header: string;
  /** Field path in the household input this column fills (for reporting problems back to the column). */
  path: string;
  level: ColumnLevel;
  kind: 'text' | 'date' | 'number' | 'int' | 'bool' | 'list';
  options?: readonly string[];
  width: number;
  note: string;
}

const yesNo = ['是', '否'] as const;

export const COLUMNS: readonly Column[] = [
  { header: '户编号', path: 'id', level: 'household', kind: 'text', width: 16, note: '同一户的各成员行填写相同户编号' },
  { header: '区县', path: 'area.county', level: 'household', kind: 'text', width: 10, note: '如 渝北区' },
  { header: '镇街', path: 'area.town', level: 'household', kind: 'text', width: 12, note: '' },
  { header: '村社', path: 'area.village', level: 'household', kind: 'text', width: 12, note: '' },
  { header: '区划代码', path: 'area.code', level: 'household', kind: 'text', width: 14, note: '12位统计用区划代码，可不填' },
  { header: '人均收入（元）', path: 'incomePerHead.amountYuan', level: 'household', kind: 'number', width: 12, note: '家庭人均收入，最多两位小数' },
  { header: '收入周期', path: 'incomePerHead.period', level: 'household', kind: 'text', options: ['月', '年'], width: 8, note: '月 或 年' },
  { header: '住房安全等级', path: 'housing.grade', level: 'household', kind: 'text', options: HOUSING_GRADES, width: 10, note: '' },
  { header: '集中供水', path: 'centralWaterSupply', level: 'household', kind: 'bool', options: yesNo, width: 8, note: '是 或 否' },
  { header: '户类别', path: 'type', level: 'category', kind: 'text', options: HOUSEHOLD_CATEGORIES, width: 12, note: '每行可填一个户类别；一户有多个类别时写在该户的不同成员行' },
  { header: '类别细分', path: 'class', level: 'category', kind: 'text', width: 12, note: '监测户：脱贫不稳定户/边缘易致贫户/突发严重困难户；低保：A类/B类/C类' },
  { header: '纳入日期', path: 'from', level: 'category', kind: 'date', width: 12, note: 'YYYY-MM-DD' },
  { header: '退出日期', path: 'to', level: 'category', kind: 'date', width: 12, note: '仍在册则不填' },
  { header: '姓名', path: 'name', level: 'member', kind: 'text', width: 10, note: '' },
  { header: '身份证号', path: 'idNumber', level: 'member', kind: 'text', width: 22, note: '18位，请以文本格式填写' },
  { header: '出生日期', path: 'birthDate', level: 'member', kind: 'date', width: 12, note: '无身份证号时必填' },
  { header: '性别', path: 'sex', level: 'member', kind: 'text', options: SEXES, width: 6, note: '' },
  { header: '与户主关系', path: 'relation', level: 'member', kind: 'text', options: RELATIONS, width: 10, note: '每户有且只有一名户主' },
  { header: '本市户籍', path: 'localHukou', level: 'member', kind: 'bool', options: yesNo, width: 8, note: '' },
  { header: '学段', path: 'school.stage', level: 'member', kind: 'text', options: SCHOOL_STAGES, width: 8, note: '' },
  { header: '寄宿', path: 'school.boarding', level: 'member', kind: 'bool', options: yesNo, width: 6, note: '' },
  { header: '残疾等级', path: 'disability.grade', level: 'member', kind: 'int', width: 8, note: '1至4' },
  { header: '慢性病', path: 'chronicIllnesses', level: 'member', kind: 'list', width: 14, note: '多个用“、”分隔' },
  { header: '重病患者', path: 'seriousIllness', level: 'member', kind: 'bool', options: yesNo, width: 8, note: '' },
  { header: '劳动能力', path: 'labourAbility', level: 'member', kind: 'text', options: LABOUR_ABILITIES, width: 10, note: '' },
  { header: '就业状态', path: 'employment.status', level: 'member', kind: 'text', options: EMPLOYMENT_STATUSES, width: 10, note: '' },
  { header: '务工地点', path: 'employment.location', level: 'member', kind: 'text', options: WORK_LOCATIONS, width: 10, note: '' },
  { header: '参加医保', path: 'insurance.medicalEnrolled', level: 'member', kind: 'bool', options: yesNo, width: 8, note: '是否参加当年城乡居民医保' },
];

export const SHEET_NAME = '户成员';

/** The column that holds a field path of the household input, for reporting a problem there. */
export function columnForPath(path: string): { column: Column | undefined; member: number | null; category: number | null } {
  const member = /^members\[(\d+)\]\.?(.*)$/.exec(path);
  if (member) {
    const rest = member[2] ?? '';
    return { column: COLUMNS.find((c) => c.level === 'member' && rest.startsWith(c.path)) ?? COLUMNS.find((c) => c.path === 'name'), member: Number(member[1]), category: null };
  }
  const category = /^categories\[(\d+)\]\.?(.*)$/.exec(path);
  if (category) {
    const rest = category[2] ?? '';
    return { column: COLUMNS.find((c) => c.level === 'category' && rest.startsWith(c.path)) ?? COLUMNS.find((c) => c.path === 'type'), member: null, category: Number(category[1]) };
  }
  if (path === 'members') return { column: COLUMNS.find((c) => c.path === 'relation'), member: null, category: null };
  return { column: COLUMNS.find((c) => c.level === 'household' && path.startsWith(c.path)), member: null, category: null };
}
