/** @module The Excel sheet layout shared by the import template, the import and the export: one row per member, Chinese headers. */
import {
  BUSINESS_KINDS, CARE_HOSPITAL_GRADES, CHILD_STATUSES, DEGREE_LEVELS, HARDSHIP_CAUSES, HOSPITAL_LEVELS, HUKOU_TYPES, MAJOR_TYPES,
  MENTAL_ILLNESS_TREATMENTS, MICROCREDIT_STATUSES, SCHOOL_HEALTH_BARRIERS,
} from '../core/model/household.ts';
import {
  DIBAO_CLASSES, EMPLOYMENT_STATUSES, HOUSEHOLD_CATEGORIES, HOUSING_GRADES, INSURANCE_TIERS, LABOUR_ABILITIES, MONITORING_CLASSES,
  RELATIONS, SCHOOL_STAGES, SEXES, WORK_LOCATIONS,
} from '../core/model/vocabulary.ts';

export type ColumnLevel = 'household' | 'category' | 'member';

export interface Column {
  header: string;
  /** Field path in the household input this column fills (for reporting problems back to the column). */
  path: string;
  level: ColumnLevel;
  /**
   * text/date/number/int/bool: one value. list: several values separated by 、 (checked against `options` when given;
   * 无 = an empty list). aid: 临时救助 as “日期（类型）” items. presence: 是 = the object at `path` exists (精神病患者).
   */
  kind: 'text' | 'date' | 'number' | 'int' | 'bool' | 'list' | 'aid' | 'presence';
  options?: readonly string[];
  /** A date column where 无 stands for null (e.g. 居住证：没有). */
  noneIsNull?: boolean;
  width: number;
  note: string;
  group: string;
}

const yesNo = ['是', '否'] as const;

/** Column groups in sheet order, with the header colour of each. */
export const GROUPS: Record<string, string> = {
  户基本信息: 'FFDDEBF7',
  户类别: 'FFFCE4D6',
  成员基本信息: 'FFE2EFDA',
  成员教育: 'FFFFF2CC',
  成员健康与残疾: 'FFEDE2F6',
  成员就业与保障: 'FFDDEBF7',
  成员其他情况: 'FFE2EFDA',
  户住房与救助: 'FFFCE4D6',
  户产业与帮扶: 'FFFFF2CC',
  经营主体: 'FFEDEDED',
};

type Def = Omit<Column, 'level' | 'group' | 'width'> & { width?: number };
const group = (level: ColumnLevel, name: keyof typeof GROUPS, defs: Def[]): Column[] =>
  defs.map((d) => ({ width: Math.max(8, Math.min(24, d.header.length * 2 + 2)), ...d, level, group: name }));
const bool = (header: string, path: string, note = ''): Def => ({ header, path, kind: 'bool', options: yesNo, note: note || '是 或 否' });

export const COLUMNS: readonly Column[] = [
  ...group('household', '户基本信息', [
    { header: '户编号', path: 'id', kind: 'text', width: 16, note: '同一户的各成员行填写相同户编号' },
    { header: '区县', path: 'area.county', kind: 'text', width: 10, note: '如 渝北区' },
    { header: '镇街', path: 'area.town', kind: 'text', width: 12, note: '' },
    { header: '村社', path: 'area.village', kind: 'text', width: 12, note: '' },
    { header: '区划代码', path: 'area.code', kind: 'text', width: 14, note: '12位统计用区划代码，可不填' },
    { header: '人均收入（元）', path: 'incomePerHead.amountYuan', kind: 'number', width: 12, note: '家庭人均收入，最多两位小数' },
    { header: '收入周期', path: 'incomePerHead.period', kind: 'text', options: ['月', '年'], width: 8, note: '月 或 年' },
    { header: '住房安全等级', path: 'housing.grade', kind: 'text', options: HOUSING_GRADES, width: 10, note: '' },
    bool('集中供水', 'centralWaterSupply', '是否使用村镇集中供水工程'),
  ]),
  ...group('category', '户类别', [
    { header: '户类别', path: 'type', kind: 'text', options: HOUSEHOLD_CATEGORIES, width: 12, note: '每行可填一个户类别；一户有多个类别时写在该户的不同成员行' },
    { header: '类别细分', path: 'class', kind: 'text', options: [...MONITORING_CLASSES, ...DIBAO_CLASSES], width: 12, note: '监测户：脱贫不稳定户/边缘易致贫户/突发严重困难户；低保：A类/B类/C类' },
    { header: '纳入日期', path: 'from', kind: 'date', width: 12, note: 'YYYY-MM-DD' },
    { header: '退出日期', path: 'to', kind: 'date', width: 12, note: '仍在册则不填' },
  ]),
  ...group('member', '成员基本信息', [
    { header: '姓名', path: 'name', kind: 'text', width: 10, note: '' },
    { header: '身份证号', path: 'idNumber', kind: 'text', width: 22, note: '18位，请以文本格式填写' },
    { header: '出生日期', path: 'birthDate', kind: 'date', width: 12, note: '无身份证号时必填' },
    { header: '性别', path: 'sex', kind: 'text', options: SEXES, width: 6, note: '' },
    { header: '与户主关系', path: 'relation', kind: 'text', options: RELATIONS, width: 10, note: '每户有且只有一名户主' },
    bool('本市户籍', 'localHukou'),
  ]),
  ...group('member', '成员教育', [
    { header: '学段', path: 'school.stage', kind: 'text', options: SCHOOL_STAGES, width: 8, note: '' },
    bool('寄宿', 'school.boarding'),
  ]),
  ...group('member', '成员健康与残疾', [
    { header: '残疾等级', path: 'disability.grade', kind: 'int', width: 8, note: '1至4' },
    { header: '慢性病', path: 'chronicIllnesses', kind: 'list', width: 14, note: '多个用“、”分隔；填“无”表示没有' },
    bool('重病患者', 'seriousIllness'),
  ]),
  ...group('member', '成员就业与保障', [
    { header: '劳动能力', path: 'labourAbility', kind: 'text', options: LABOUR_ABILITIES, width: 10, note: '' },
    { header: '就业状态', path: 'employment.status', kind: 'text', options: EMPLOYMENT_STATUSES, width: 10, note: '' },
    { header: '务工地点', path: 'employment.location', kind: 'text', options: WORK_LOCATIONS, width: 10, note: '' },
    bool('参加医保', 'insurance.medicalEnrolled', '是否参加当年城乡居民医保'),
  ]),
  // Columns added after the first layout: appended, so files made with the first template keep importing.
  ...group('member', '成员教育', [
    { header: '年级', path: 'school.year', kind: 'int', note: '本学段第几年，如中职一年级填 1' },
    { header: '中职专业类别', path: 'school.major', kind: 'text', options: MAJOR_TYPES, note: '中职学生填写' },
    bool('普惠性公办幼儿园', 'school.publicKindergarten', '学前：是否在普惠性公办幼儿园就读'),
    { header: '学校名称', path: 'school.schoolName', kind: 'text', width: 16, note: '正安县按学校确定资助标准' },
    bool('城区学校', 'school.urbanSchool', '是否城区学校（否则为农村学校）'),
    { header: '高等教育层次', path: 'school.degreeLevel', kind: 'text', options: DEGREE_LEVELS, note: '高职即专科' },
    { header: '已享受其他学生资助', path: 'school.otherAid', kind: 'list', width: 20, note: '多个用“、”分隔；填“无”表示没有' },
    { header: '高校毕业年份', path: 'collegeGraduationYear', kind: 'int', note: '大专及以上毕业年份，如 2023' },
    { header: '因病因残就学情况', path: 'schoolHealthBarrier', kind: 'text', options: SCHOOL_HEALTH_BARRIERS, note: '6–16周岁儿童' },
  ]),
  ...group('member', '成员健康与残疾', [
    { header: '残疾类别', path: 'disability.kind', kind: 'text', note: '如 肢体、视力、听力、言语、智力、精神、多重' },
    bool('父母为持证残疾人', 'parentDisabled', '学生的父母是否为持证残疾人'),
    bool('疑似残疾', 'suspectedDisability', '是否疑似残疾（尚未办理残疾证）'),
    { header: '精神病患者', path: 'mentalIllness', kind: 'presence', options: yesNo, note: '是 或 否' },
    { header: '精神病治疗方式', path: 'mentalIllness.treatment', kind: 'text', options: MENTAL_ILLNESS_TREATMENTS, note: '住院 或 居家' },
    { header: '慢性病就医医院级别', path: 'treatmentHospitalLevel', kind: 'text', options: HOSPITAL_LEVELS, note: '慢性病治疗就医的公立医院级别' },
    { header: '本年就医机构等级', path: 'medicalCare.hospitalGrade', kind: 'text', options: CARE_HOSPITAL_GRADES, note: '本年度就医的医疗机构等级；本年未就医则不填' },
    { header: '政策内个人负担医疗费（元）', path: 'medicalCare.inPolicySelfPayYuan', kind: 'number', width: 16, note: '本年度经基本医保、大病保险、医疗救助支付后，政策范围内个人负担的费用' },
    bool('患大病集中救治病种', 'listedMajorDisease', '是否患有纳入大病集中救治的病种'),
    bool('新冠确诊未出院', 'covidPatient', '是否新冠肺炎确诊患者且尚未出院'),
    bool('家庭医生签约意愿', 'familyDoctorWish', '是否在家且有家庭医生签约意愿'),
  ]),
  ...group('member', '成员就业与保障', [
    { header: '医保档次', path: 'insurance.medicalTier', kind: 'text', options: INSURANCE_TIERS, note: '' },
    bool('参加养老保险', 'insurance.pensionEnrolled', '是否参加城乡居民养老保险'),
    bool('参加职工医保', 'insurance.employeeMedicalEnrolled', '是否参加职工医保（参加城乡居民医保者填“否”）'),
    { header: '稳定就业月数', path: 'employment.stableMonths', kind: 'int', note: '本次稳定就业月数' },
    bool('有就业意愿', 'employment.willingToWork', '失业人员是否有就业意愿'),
    { header: '单位连续缴纳社保月数', path: 'employment.socialInsuranceMonths', kind: 'int', width: 14, note: '现单位为其连续缴纳社会保险费的月数（仍在缴纳）；未缴纳填 0' },
    bool('经人力资源机构免费帮助就业', 'employment.placedByAgency', '是否由人力资源服务机构等市场主体免费帮助实现就业'),
    bool('在就业帮扶车间就业', 'employment.atAssistanceWorkshop'),
    bool('有技能培训需求', 'trainingWish', '是否有职业技能培训需求'),
    bool('有创业意愿', 'startupWish', '是否有创业意愿且有创业能力'),
    bool('能获得稳定收入', 'stableIncome', '能否通过产业、就业获得稳定收入'),
    bool('能从事农业劳动', 'ableToFarm', '能否正常从事农业劳动生产'),
  ]),
  ...group('member', '成员其他情况', [
    { header: '户籍所在区县', path: 'hukouCounty', kind: 'text', note: '如 渝中区' },
    { header: '居住证领取日期', path: 'residencePermitSince', kind: 'date', noneIsNull: true, note: '非本区县户籍者在现居住区县领取居住证的日期；填“无”表示没有居住证' },
    { header: '一年在家月数', path: 'monthsAtHomeYearly', kind: 'int', note: '0至12' },
    { header: '一年在县外月数', path: 'monthsOutsideCountyYearly', kind: 'int', note: '一年中在县域外务工或居住的月数；0 表示未外出' },
    { header: '儿童困境类别', path: 'childStatus', kind: 'text', options: CHILD_STATUSES, note: '成年人可不填' },
    bool('符合特困供养条件', 'meetsTekunCriteria', '无劳动能力、无生活来源、无法定赡养扶养抚养义务人或其无履行能力'),
    bool('有集中供养意愿', 'centralCareWish', '特困人员是否有集中供养意愿'),
  ]),
  ...group('category', '户类别', [
    bool('风险已消除', 'riskEliminated', '监测户：是否已标注风险消除'),
    { header: '登记人', path: 'recordedBy', kind: 'text', note: '不填则记为导入人' },
  ]),
  ...group('household', '户住房与救助', [
    bool('贫困村', 'area.povertyVillage', '所在村是否为贫困村'),
    { header: '户籍类型', path: 'hukouType', kind: 'text', options: HUKOU_TYPES, note: '' },
    bool('长期租住安全房', 'housing.rentsSafeHousing', '是否选择长期租住安全房'),
    bool('廉租住房实物配租', 'housing.lowRentTenant', '是否廉租住房实物配租家庭'),
    { header: '廉租房月租金（元）', path: 'housing.lowRentMonthlyRentYuan', kind: 'number', note: '每月应缴纳租金' },
    bool('符合危房改造条件', 'housing.meetsRenovationConditions', '经乡镇、村初判和核查后是否符合农村危房改造条件'),
    bool('已享受危房新建', 'housing.renovationRebuilt', '是否已享受危房新建政策'),
    bool('易地扶贫搬迁户', 'relocated'),
    bool('集中安置', 'relocatedCentrally', '易地扶贫搬迁户是否为集中安置'),
    bool('兜底保障对象', 'doudi', '是否民政兜底保障对象（含“两无”人员家庭）'),
    bool('基本生活困难', 'livingHardship'),
    { header: '突发困难原因', path: 'hardshipCauses', kind: 'list', options: HARDSHIP_CAUSES, width: 20, note: '多个用“、”分隔；填“无”表示没有' },
    { header: '已获临时救助', path: 'temporaryAid', kind: 'aid', width: 24, note: '每次写“日期（类型）”，类型为 急难型 或 支出型，可省略，多次用“、”分隔，如 2023-05-01（急难型）；填“无”表示没有获得过' },
    bool('有赡养能力的子女', 'childrenCanSupport', '是否有条件较好、有赡养能力的子女'),
    bool('有第三方责任人', 'thirdPartyLiable', '因灾因意外出现困难时是否有第三方责任人'),
  ]),
  ...group('household', '户产业与帮扶', [
    bool('发展产业', 'developsIndustry', '是否发展（或有意愿发展）种养殖等产业增收项目'),
    bool('参加农业保险', 'agriInsured', '是否参加政策性农业保险'),
    bool('村集体股权分红', 'collectiveDividend', '所在村集体经济组织是否持有财政补助资金股权化改革项目股份并分红'),
    bool('退耕还林或天保林地', 'ecoCompensationLand', '是否有退耕还林地或纳入天然林保护的林地'),
    bool('养殖禁食野生动物', 'wildlifeFarming', '是否养殖受全面禁食影响的野生动物'),
    bool('参加消费扶贫展会', 'attendsExpo'),
    bool('合作社利益联结', 'cooperativeLinked', '是否已有合作社或新型经营主体与本户形成利益联结'),
    bool('有扩大生产能力和意愿', 'scaleUpCapacity', '是否有扩大种植、养殖、生产经营规模的能力和意愿'),
    bool('季节性缺水', 'seasonalWaterShortage'),
    bool('农副产品滞销', 'unsoldProduce'),
    bool('有富余土地或房屋', 'spareLandOrHouse', '是否有富余的土地或房屋可以流转或出租'),
    { header: '扶贫小额信贷', path: 'microcredit.status', kind: 'text', options: MICROCREDIT_STATUSES, note: '在贷 / 有贷款需求 / 无' },
    { header: '小额信贷到期日', path: 'microcredit.dueDate', kind: 'date', note: 'YYYY-MM-DD' },
    bool('疫情致还款困难', 'microcredit.covidRepaymentDifficulty', '是否受新冠肺炎疫情影响出现还款困难'),
    bool('符合小额贴息贷款条件', 'microcredit.meetsConditions'),
  ]),
  ...group('household', '经营主体', [
    { header: '经营主体类型', path: 'business.kinds', kind: 'list', options: BUSINESS_KINDS, width: 20, note: '本户经营或筹办的经营主体；多个用“、”分隔；无经营主体则本组各列都不填' },
    { header: '带动贫困户数', path: 'business.linkedPoorHouseholds', kind: 'int', note: '通过利益联结带动的建卡贫困户数' },
    { header: '吸纳贫困劳动力人数', path: 'business.poorEmployees', kind: 'int', note: '' },
    bool('建设保鲜仓储设施', 'business.coldStorage'),
    { header: '经营主体贷款（元）', path: 'business.loan.amountYuan', kind: 'number', note: '单户贷款规模' },
    { header: '经营主体贷款到期日', path: 'business.loan.dueDate', kind: 'date', note: 'YYYY-MM-DD' },
    { header: '2020年一季度营收降幅（%）', path: 'business.revenueDropPercentQ1', kind: 'int', width: 16, note: '主营业务收入同比降幅，增长填 0' },
    { header: '在职职工人数', path: 'business.employees', kind: 'int', note: '' },
    { header: '新招用符合条件人员占比（%）', path: 'business.qualifiedHirePercent', kind: 'int', width: 16, note: '当年新招用符合创业担保贷款申请条件并签订1年以上劳动合同的人员占在职职工的百分比' },
  ]),
];

export const SHEET_NAME = '户成员';

/** The column of `rest`, else the nearest column above it (business.loan.dueDate → its column), else the first below it (employment → 就业状态). */
function nearest(level: ColumnLevel, rest: string): Column | undefined {
  let best: Column | undefined;
  for (const c of COLUMNS) {
    if (c.level !== level) continue;
    const above = rest === c.path || rest.startsWith(`${c.path}.`) || rest.startsWith(`${c.path}[`);
    if (above && (!best || c.path.length > best.path.length)) best = c;
  }
  return best ?? COLUMNS.find((c) => c.level === level && c.path.startsWith(`${rest}.`));
}

/** The column that holds a field path of the household input, for reporting a problem there. */
export function columnForPath(path: string): { column: Column | undefined; member: number | null; category: number | null } {
  const member = /^members\[(\d+)\]\.?(.*)$/.exec(path);
  if (member) {
    const rest = member[2] ?? '';
    return { column: (rest && nearest('member', rest)) || COLUMNS.find((c) => c.path === 'name'), member: Number(member[1]), category: null };
  }
  const category = /^categories\[(\d+)\]\.?(.*)$/.exec(path);
  if (category) {
    const rest = category[2] ?? '';
    return { column: (rest && nearest('category', rest)) || COLUMNS.find((c) => c.path === 'type'), member: null, category: Number(category[1]) };
  }
  if (path === 'members') return { column: COLUMNS.find((c) => c.path === 'relation'), member: null, category: null };
  return { column: path ? nearest('household', path) : undefined, member: null, category: null };
}
