/** @module The closed vocabularies of the domain: household categories, school stages, work locations and the like, with their Chinese names as data. */

export const HOUSEHOLD_CATEGORIES = [
  /** Before exiting poverty (documents of 2018–2020): 建档立卡贫困户; after exit: 脱贫户. */
  '建档立卡贫困户',
  '脱贫户',
  '监测户',
  '返贫致贫户',
  '农村低保',
  '城市低保',
  '特困',
  '低保边缘',
  '城市特殊困难建档',
] as const;
export type HouseholdCategory = (typeof HOUSEHOLD_CATEGORIES)[number];

/** 防止返贫监测对象 classes (000: 脱贫不稳定户、边缘易致贫户、突发严重困难户). */
export const MONITORING_CLASSES = ['脱贫不稳定户', '边缘易致贫户', '突发严重困难户'] as const;
export type MonitoringClass = (typeof MONITORING_CLASSES)[number];
/** Derived, never input: the monitoring class of a household that is not a 监测户 on the date. */
export const NOT_MONITORED = '非监测户';

/** 低保 classes as used by 渝中区 (002: 低保A类) and the 兜底 tiers. */
export const DIBAO_CLASSES = ['A类', 'B类', 'C类'] as const;
export type DibaoClass = (typeof DIBAO_CLASSES)[number];

export const RELATIONS = ['户主', '配偶', '子女', '儿媳', '女婿', '孙子女', '父母', '祖父母', '兄弟姐妹', '其他'] as const;
export type Relation = (typeof RELATIONS)[number];

/** School stages; 高职 and 本专科 are both higher education but are funded differently. */
export const SCHOOL_STAGES = ['学前', '小学', '初中', '高中', '中职', '高职', '本专科', '研究生', '未入学', '辍学', '已毕业'] as const;
/** Derived, never input: a member outside school age with no school record. */
export const NOT_IN_SCHOOL = '非在校';
/** Derived, never input: a member under 16 with no employment record. */
export const UNDER_WORKING_AGE = '未到劳动年龄';
/** Derived, never input: the work place of someone known not to work. */
export const NO_WORK_LOCATION = '未就业';
export type SchoolStage = (typeof SCHOOL_STAGES)[number];

/** Where a migrant worker works, relative to the household's 区县 and 市/省. */
export const WORK_LOCATIONS = ['区县内', '区县外市内', '市外省内', '省外'] as const;
export type WorkLocation = (typeof WORK_LOCATIONS)[number];

export const EMPLOYMENT_STATUSES = ['务工', '自主创业', '公益性岗位', '务农', '失业', '在校', '无劳动能力', '退休'] as const;
export type EmploymentStatus = (typeof EMPLOYMENT_STATUSES)[number];

export const LABOUR_ABILITIES = ['有劳动能力', '弱劳动能力', '半失能', '失能'] as const;
export type LabourAbility = (typeof LABOUR_ABILITIES)[number];

/** 住房安全等级: A/B safe, C needs repair, D must be rebuilt; 无房 = no house at all. */
export const HOUSING_GRADES = ['A', 'B', 'C', 'D', '无房'] as const;
export type HousingGrade = (typeof HOUSING_GRADES)[number];

/** 城乡居民医保 档次 (000 监测户: 一档 / 二档). */
export const INSURANCE_TIERS = ['一档', '二档'] as const;
export type InsuranceTier = (typeof INSURANCE_TIERS)[number];

export const SEXES = ['男', '女'] as const;
export type Sex = (typeof SEXES)[number];
