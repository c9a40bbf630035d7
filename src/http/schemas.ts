/** @module Request and response shapes of the REST API (zod), shared by validation, serialisation and the OpenAPI document. */
import { z } from 'zod';
import { HouseholdSchema, MemberSchema } from '../core/model/household.ts';
import { HOUSEHOLD_CATEGORIES } from '../core/model/vocabulary.ts';
import { ROLES } from '../auth/roles.ts';

export const ErrorSchema = z.object({
  error: z.string().meta({ description: '错误代码' }),
  message: z.string().meta({ description: '中文说明' }),
  problems: z.array(z.object({
    path: z.string().meta({ description: '字段路径，如 members[1].idNumber' }),
    message: z.string(),
    row: z.number().optional().meta({ description: 'Excel 行号' }),
    column: z.string().optional().meta({ description: 'Excel 列名' }),
  })).optional(),
  currentVersion: z.number().optional().meta({ description: '版本冲突时的当前版本' }),
}).meta({ id: 'Error' });

export const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ErrorSchema]));

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

export const ScopeSchema = z.object({ county: z.string().nullable(), town: z.string().nullable(), village: z.string().nullable() });

export const UserSchema = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  scope: ScopeSchema,
  createdAt: z.string().optional(),
  active: z.boolean().optional().meta({ description: '是否启用；停用的用户不能登录' }),
}).meta({ id: 'User' });

export const PasswordBody = z.strictObject({
  currentPassword: z.string().min(1, '请填写当前密码').max(200),
  newPassword: z.string().min(8, '新密码至少8位').max(200, '新密码最多200位'),
});
export const UserIdParams = z.strictObject({ id: z.coerce.number().int('用户编号应为整数').positive('用户编号应为正整数') });

export const LoginBody = z.strictObject({ username: z.string().min(1, '请填写用户名').max(40), password: z.string().min(1, '请填写密码').max(200) });
export const LoginResponse = z.object({ token: z.string().meta({ description: '在 Authorization: Bearer <token> 中使用' }), expiresAt: z.string(), user: UserSchema });

export const AreaSchema = z.object({
  id: z.number(), level: z.enum(['区县', '镇街', '村社']), county: z.string(), town: z.string().nullable(), village: z.string().nullable(), code: z.string().nullable(),
}).meta({ id: 'Area' });
export const AreaBody = z.strictObject({
  county: z.string().min(1, '区县不能为空').max(30),
  town: z.string().min(1).max(30).optional(),
  village: z.string().min(1).max(30).optional(),
  code: z.string().regex(/^\d{12}$/, '统计用区划代码应为12位数字').optional(),
}).refine((a) => !a.village || a.town, { path: ['town'], message: '登记村社时须同时填写镇街' });

/** A stored household as returned: 身份证号 masked. Passed through as stored (it was validated on the way in). */
export const StoredHouseholdSchema = z.looseObject({
  id: z.string(),
  area: z.looseObject({ county: z.string() }),
  members: z.array(z.looseObject({ name: z.string(), idNumber: z.string().optional().meta({ description: '脱敏的身份证号' }) })),
}).meta({ description: '户数据（格式见 docs/household.schema.json），身份证号已脱敏' });

export const HouseholdRecordSchema = z.object({
  id: z.string(),
  version: z.number().meta({ description: '版本号：修改时须提交，以免覆盖他人的修改' }),
  household: StoredHouseholdSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  latestScreeningId: z.number().nullable(),
  changed: z.boolean().optional().meta({ description: '修改是否产生了新版本' }),
}).meta({ id: 'HouseholdRecord' });

export const HouseholdSummarySchema = z.object({
  id: z.string(),
  version: z.number(),
  area: z.object({ county: z.string(), town: z.string().nullable(), village: z.string().nullable() }),
  headName: z.string(),
  headIdNumber: z.string().nullable().meta({ description: '户主身份证号（脱敏）' }),
  size: z.number(),
  categories: z.array(z.string()),
  updatedAt: z.string(),
});

export const HouseholdPage = z.object({ items: z.array(HouseholdSummarySchema), total: z.number(), page: z.number(), pageSize: z.number() });

export const HouseholdQuery = z.strictObject({
  county: z.string().max(30).optional(),
  town: z.string().max(30).optional(),
  village: z.string().max(30).optional(),
  category: z.enum(HOUSEHOLD_CATEGORIES, { error: () => `户类别应为以下之一：${HOUSEHOLD_CATEGORIES.join('、')}` }).optional(),
  name: z.string().min(1).max(50).optional().meta({ description: '成员姓名（包含即可）' }),
  idNumber: z.string().min(4).max(18).optional().meta({ description: '完整身份证号或末尾至少4位' }),
  policy: z.string().max(100).optional().meta({ description: '政策编号：按最近一次测算结果筛选' }),
  status: z.enum(['eligible', 'ineligible', 'undetermined'], { error: () => '测算状态应为 eligible、ineligible 或 undetermined' }).optional(),
  page: z.coerce.number().int('页码应为整数').min(1, '页码从1开始').default(1),
  pageSize: z.coerce.number().int().min(1).max(200, '每页最多200条').default(20),
});

export const HouseholdBody = HouseholdSchema;
export const UpdateBody = z.strictObject({
  version: z.int('版本号应为整数').positive().meta({ description: '读取时得到的版本号' }),
  household: z.record(z.string(), z.unknown()).meta({ description: '完整户数据（格式同新增）；身份证号可保留读取时的脱敏形式' }),
});
export const MemberBody = z.strictObject({
  version: z.int('版本号应为整数').positive(),
  member: z.record(z.string(), z.unknown()).meta({ description: '成员数据（格式见 docs/household.schema.json 的 members）' }),
});
export const VersionQuery = z.strictObject({ version: z.coerce.number().int('版本号应为整数').positive('版本号应为正整数') });
export const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
export const MemberParams = z.strictObject({ id: z.string().min(1).max(64), index: z.coerce.number().int().min(0).meta({ description: '成员序号，从0开始' }) });
export const ScreeningParams = z.strictObject({ id: z.string().min(1).max(64), screeningId: z.coerce.number().int().positive() });

export const HistorySchema = z.array(z.object({
  version: z.number(), action: z.enum(['create', 'update', 'delete']), at: z.string(), username: z.string().nullable(),
  changes: z.array(z.object({ path: z.string(), before: z.unknown(), after: z.unknown() })),
}));

export const RevealResponse = z.object({ name: z.string(), idNumber: z.string().meta({ description: '完整身份证号（本次读取已记入审计日志）' }) });

const LocalYuan = z.record(z.string(), z.number()).meta({ description: '当地参数（元），如 {"dibaoStandardMonthlyYuan": 620}' });
export const ScreenStoredBody = z.strictObject({ date: isoDate.optional().meta({ description: '测算日期，默认今天' }), local: LocalYuan.optional() });
/** How much of the why an ad-hoc screening answer carries (POST /screen). */
export const DETAILS = ['brief', 'summary', 'full'] as const;
export type Detail = (typeof DETAILS)[number];

export const ScreenAdHocBody = z.strictObject({
  household: z.unknown().meta({ description: '户数据（格式见 docs/household.schema.json）' }),
  date: isoDate.optional(),
  local: LocalYuan.optional(),
  detail: z.enum(DETAILS, { error: () => 'detail 应为 brief（只列结果）、summary（摘要，默认）或 full（全部理由）' }).default('summary').meta({
    description: 'summary（默认）：result.decisions 只含可享受和待补充信息的政策（附全部理由与原文依据），不享受的政策在 notEntitled 中按原因各一行；'
      + 'brief：只含可享受和待补充信息的政策，不附理由（缺少的信息仍列出），无 notEntitled；full：result.decisions 含全部政策及每个条件的理由',
  }),
});

/** The engine's answer, passed through (its shape is src/core/evaluator/decision.ts). */
export const ScreeningResultSchema = z.looseObject({
  household: z.string(),
  date: z.string(),
  packs: z.array(z.object({ id: z.string(), version: z.string() })),
  decisions: z.array(z.looseObject({ policy: z.string(), status: z.enum(['eligible', 'ineligible', 'undetermined']) })),
  conflicts: z.array(z.unknown()),
});
export const TotalsSchema = z.looseObject({ household: z.array(z.unknown()), byMember: z.array(z.unknown()) });

/** Every decision with every reason: what the household page and its what-if show. */
export const FullScreeningResponse = z.object({ result: ScreeningResultSchema, totals: TotalsSchema });
export const NotEntitledSchema = z.object({
  policy: z.string(), name: z.string(),
  members: z.array(z.number()).nullable().meta({ description: '涉及的成员序号（从0开始）；null 表示按户的政策' }),
  why: z.string().meta({ description: '第一个不满足的条件及其所用信息' }),
});
export const AdHocResponse = z.object({
  detail: z.enum(DETAILS),
  result: ScreeningResultSchema,
  notEntitled: z.array(NotEntitledSchema).optional().meta({ description: '不享受的政策：同一政策、同一原因的成员合为一行（detail = brief 时没有；完整理由：detail = full）' }),
  totals: TotalsSchema,
});
export const StoredScreeningSchema = z.object({
  id: z.number(), householdId: z.string(), householdVersion: z.number(), date: z.string(),
  packs: z.array(z.object({ id: z.string(), version: z.string() })), createdAt: z.string(), username: z.string().nullable(),
  result: ScreeningResultSchema, totals: TotalsSchema,
  stale: z.object({ householdChanged: z.boolean(), packsChanged: z.boolean() }).optional().meta({ description: '户或政策包在此次测算后是否已变化（需重新测算）' }),
});
export const ScreeningListSchema = z.array(StoredScreeningSchema.omit({ result: true, totals: true }));

export const PackSummarySchema = z.object({
  id: z.string(), version: z.string(), name: z.string(), counties: z.array(z.string()),
  period: z.object({ from: z.string(), to: z.string().nullable() }), source: z.looseObject({ file: z.string() }),
  policies: z.array(z.object({ id: z.string(), name: z.string(), category: z.string(), subject: z.string() })),
});
export const PolicyDetailSchema = z.object({
  id: z.string(), pack: z.string(), packVersion: z.string(), source: z.looseObject({ name: z.string() }),
  citation: z.object({ file: z.string(), quote: z.string() }),
  conditions: z.array(z.object({ label: z.string(), expression: z.string(), citation: z.object({ file: z.string(), quote: z.string() }) })),
  amounts: z.array(z.object({ when: z.string().nullable(), value: z.unknown(), unit: z.string(), kind: z.string(), citation: z.object({ file: z.string(), quote: z.string() }) })),
});

export const NewUserBody = z.strictObject({
  username: z.string(), displayName: z.string(), password: z.string(), role: z.string(),
  scope: z.strictObject({ county: z.string().nullable(), town: z.string().nullable().optional(), village: z.string().nullable().optional() }),
});

export const AuditQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100), before: z.coerce.number().int().positive().optional(), action: z.string().max(40).optional() });
export const AuditSchema = z.array(z.object({ id: z.number(), at: z.string(), userId: z.number().nullable(), username: z.string().nullable(), action: z.string(), target: z.string().nullable(), detail: z.unknown() }));

export const ImportResponse = z.object({ created: z.array(z.string()), updated: z.array(z.string()), unchanged: z.array(z.string()), rows: z.number() });

export const ImportJobParams = z.strictObject({ id: z.string().min(1).max(64) });
export const ImportJobSchema = z.object({
  id: z.string().meta({ description: '导入任务编号，用于查询进度' }),
  status: z.enum(['queued', 'reading', 'validating', 'writing', 'done', 'failed']).meta({ description: '排队、读取、检查、写入、完成、失败（失败时未写入任何数据）' }),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  bytes: z.number().meta({ description: '上传文件大小（字节）' }),
  percent: z.number().meta({ description: '大致进度（0–100）' }),
  progress: z.object({
    phase: z.enum(['reading', 'validating', 'writing', 'done']),
    rowsRead: z.number().meta({ description: '已读取的数据行' }),
    rowsValidated: z.number().meta({ description: '已检查的数据行' }),
    rowsWritten: z.number().meta({ description: '已写入的数据行（全部写完才提交）' }),
    households: z.number().meta({ description: '文件中的户数（读完后可知）' }),
    householdsWritten: z.number(),
    bytesRead: z.number(),
    bytesTotal: z.number().nullable(),
  }),
  result: ImportResponse.nullable().meta({ description: '完成时：新增、更新、未变的户编号与行数' }),
  error: ErrorSchema.nullable().meta({ description: '失败时：原因，以及每处问题的行号、列名与说明' }),
  httpStatus: z.number().nullable().meta({ description: '同步导入接口对同一文件会返回的状态码' }),
}).meta({ id: 'ImportJob' });

export const StaleCountsSchema = z.object({
  households: z.number().meta({ description: '辖区内的户数' }),
  screened: z.number().meta({ description: '已有测算结果的户数' }),
  stale: z.number().meta({ description: '最近一次测算已过时的户数' }),
  householdChanged: z.number().meta({ description: '其中：测算后户信息有修改' }),
  packsChanged: z.number().meta({ description: '其中：测算后适用的政策包有变化（新增、移除或版本变化）' }),
  unscreened: z.number().meta({ description: '从未测算的户数' }),
}).meta({ id: 'StaleCounts' });
export const RescreenBody = z.strictObject({
  date: isoDate.optional().meta({ description: '重新测算的日期，默认今天' }),
  local: z.record(z.string(), z.number()).optional().meta({ description: '当地参数（元），同单户测算' }),
  includeUnscreened: z.boolean().optional().meta({ description: '同时测算从未测算过的户（默认否）' }),
});
export const RescreenResponse = StaleCountsSchema.extend({
  date: z.string(),
  rescreened: z.number().meta({ description: '本次重新测算并保存的户数' }),
  failed: z.number().meta({ description: '无法测算的户数（如区县没有适用的政策包）' }),
  failures: z.array(z.object({ message: z.string(), count: z.number(), households: z.array(z.string()).meta({ description: '至多20个户编号' }) })),
}).meta({ id: 'RescreenOutcome' });

export { MemberSchema };
