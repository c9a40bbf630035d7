/** @module What the web UI needs beyond the registry: what-if screening of a stored household, its derived facts, batch screening, and the printable 明白纸. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { requirePermission, type Actor } from '../../auth/roles.ts';
import { DomainError } from '../../core/errors.ts';
import { describeFact } from '../../core/evaluator/describe-fact.ts';
import { screenHousehold } from '../../core/evaluator/evaluate.ts';
import { totalEntitlements } from '../../core/evaluator/totals.ts';
import { HOUSEHOLD_FACTS, householdFacts, MEMBER_FACTS, memberFacts } from '../../core/model/facts.ts';
import { householdInField } from '../../core/model/validate.ts';
import type { CompiledPack } from '../../core/pack/compile.ts';
import { localFactsFromYuan } from '../../packs/local.ts';
import { renderMingbaizhi, renderVillageBatch, type MingbaizhiInput } from '../../pdf/mingbaizhi.ts';
import { recordAudit } from '../../storage/audit.ts';
import { getHouseholdUnmasked, maskDeep, searchHouseholds, unmaskIds } from '../../storage/households.ts';
import { screenStoredHousehold } from '../../storage/screenings.ts';
import type { SqlDatabase } from '../../storage/sql.ts';
import { actorOf, type AppContext } from '../app.ts';
import { errors, FullScreeningResponse, IdParams } from '../schemas.ts';

const today = () => new Date().toISOString().slice(0, 10);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const LocalYuan = z.record(z.string(), z.number()).meta({ description: '当地参数（元），如 {"dibaoStandardMonthlyYuan": 620}' });
const pdf = z.any().meta({ type: 'string', format: 'binary', description: 'PDF 文件' });

export const PreviewBody = z.strictObject({
  household: z.record(z.string(), z.unknown()).optional()
    .meta({ description: '改动后的完整户数据（格式同读取所得，身份证号可保留脱敏形式）；不填则按已登记的数据测算' }),
  date: isoDate.optional().meta({ description: '测算日期，默认今天' }),
  local: LocalYuan.optional(),
});

export const DateQuery = z.strictObject({ date: isoDate.optional().meta({ description: '日期，默认今天' }) });

const FactSchema = z.object({ fact: z.string(), label: z.string(), value: z.string().nullable().meta({ description: '取值（中文）；null 表示未登记、无法推出' }) });
export const FactsResponse = z.object({
  date: z.string(),
  household: z.array(FactSchema),
  members: z.array(z.object({ index: z.number(), name: z.string(), facts: z.array(FactSchema) })),
});

const AreaFilter = {
  county: z.string().min(1).max(30).optional().meta({ description: '区县，默认本人辖区' }),
  town: z.string().min(1).max(30).optional(),
  village: z.string().min(1).max(30).optional(),
};
export const BatchScreenBody = z.strictObject({ ...AreaFilter, date: isoDate.optional().meta({ description: '测算日期，默认今天' }) });
export const BatchScreenResponse = z.object({
  total: z.number().meta({ description: '范围内的户数' }),
  screened: z.number(),
  failed: z.array(z.object({ id: z.string(), message: z.string() })),
});
export const BatchPrintQuery = z.strictObject({
  county: AreaFilter.county,
  town: z.string({ error: '请指定镇街' }).min(1, '请指定镇街').max(30),
  village: z.string({ error: '请指定村社' }).min(1, '请指定村社').max(30),
  date: isoDate.optional().meta({ description: '测算日期，默认今天' }),
  duplex: z.enum(['0', '1']).optional().meta({ description: '1 = 双面打印：每户补足偶数页' }),
});

/** Most households a batch may touch in one request. */
export const BATCH_LIMIT = 2000;

function sendPdf(reply: FastifyReply, name: string, body: Buffer) {
  return reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`).send(body);
}

/** Ids of the households in scope matching an area filter, at most BATCH_LIMIT (more is an error asking to narrow it). */
async function householdIdsIn(db: SqlDatabase, actor: Actor, area: { county?: string | undefined; town?: string | undefined; village?: string | undefined }): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const result = await searchHouseholds(db, actor, { ...area, page, pageSize: 200 });
    if (result.total > BATCH_LIMIT) {
      throw new DomainError('invalid_input', `范围内有 ${result.total} 户，超过单次上限 ${BATCH_LIMIT} 户，请按镇街或村社分批处理`);
    }
    ids.push(...result.items.map((h) => h.id));
    if (ids.length >= result.total || result.items.length === 0) return ids;
  }
}

async function mingbaizhiInput(db: SqlDatabase, actor: Actor, id: string, packs: readonly CompiledPack[], date: string): Promise<MingbaizhiInput> {
  const { household } = await getHouseholdUnmasked(db, actor, id);
  return { household, result: screenHousehold(packs, household, date), packs };
}

export async function caseworkRoutes(app: FastifyInstance, { db, packs }: AppContext): Promise<void> {
  app.post('/households/:id/preview', {
    schema: {
      tags: ['测算'], summary: '假如测算：按改动后的户数据或另一日期测算已登记的户，不保存任何内容',
      params: IdParams, body: PreviewBody.optional(), response: { 200: FullScreeningResponse, ...errors(400, 401, 404, 413, 422) },
    },
  }, async (request) => {
    const actor = actorOf(request);
    const { id } = request.params as { id: string };
    const body = (request.body ?? {}) as z.infer<typeof PreviewBody>;
    const record = await getHouseholdUnmasked(db, actor, id);
    const household = body.household ? householdInField({ ...(unmaskIds(body.household, record.household) as object), id }) : record.household;
    const result = screenHousehold(packs(), household, body.date ?? today(), { local: localFactsFromYuan(body.local ?? {}) });
    return { result: maskDeep(result), totals: totalEntitlements(result.decisions) };
  });

  app.get('/households/:id/facts', {
    schema: { tags: ['户'], summary: '一户在某日的全部事实（政策条件所读的年龄、学段、户类别等），未登记的为 null', params: IdParams, querystring: DateQuery, response: { 200: FactsResponse, ...errors(400, 401, 404) } },
  }, async (request) => {
    const { household } = await getHouseholdUnmasked(db, actorOf(request), (request.params as { id: string }).id);
    const date = (request.query as z.infer<typeof DateQuery>).date ?? today();
    const hf = householdFacts(household, date) as Record<string, unknown>;
    return {
      date,
      household: Object.keys(HOUSEHOLD_FACTS).map((key) => describeFact({ scope: 'household', key }, hf[key])),
      members: household.members.map((m, index) => {
        const mf = memberFacts(m, date) as Record<string, unknown>;
        return { index, name: m.name, facts: Object.keys(MEMBER_FACTS).map((key) => describeFact({ scope: 'member', key }, mf[key])) };
      }),
    };
  });

  app.post('/screenings/batch', {
    schema: {
      tags: ['测算'], summary: `批量测算本辖区（可按区县、镇街、村社缩小）的户并保存结果；单次最多 ${BATCH_LIMIT} 户，某户失败不影响其他户`,
      body: BatchScreenBody.optional(), response: { 200: BatchScreenResponse, ...errors(400, 401, 403) },
    },
  }, async (request) => {
    const actor = actorOf(request);
    requirePermission(actor, 'screening.store');
    const body = (request.body ?? {}) as z.infer<typeof BatchScreenBody>;
    const ids = await householdIdsIn(db, actor, body);
    const date = body.date ?? today();
    const failed: { id: string; message: string }[] = [];
    for (const id of ids) {
      try {
        await screenStoredHousehold(db, actor, id, packs(), date);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        failed.push({ id, message: error.message });
      }
    }
    return { total: ids.length, screened: ids.length - failed.length, failed };
  });

  app.get('/households/:id/mingbaizhi.pdf', {
    schema: {
      tags: ['明白纸'], summary: '一户的政策明白纸（A4 PDF）：按该日测算的可享受政策、金额、主管部门与咨询电话、帮扶措施；记入审计日志',
      params: IdParams, querystring: DateQuery, response: { 200: pdf, ...errors(400, 401, 403, 404, 422) },
    },
  }, async (request, reply) => {
    const actor = actorOf(request);
    requirePermission(actor, 'export');
    const { id } = request.params as { id: string };
    const date = (request.query as z.infer<typeof DateQuery>).date ?? today();
    const input = await mingbaizhiInput(db, actor, id, packs(), date);
    const body = await renderMingbaizhi(input);
    await recordAudit(db, actor, 'export', id, { kind: 'mingbaizhi', date, packs: input.result.packs });
    return sendPdf(reply, `明白纸-${id}-${date}.pdf`, body);
  });

  app.get('/mingbaizhi.pdf', {
    schema: {
      tags: ['明白纸'], summary: `整村批量打印明白纸（一个 PDF，每户另起一页）；仅限本辖区，单次最多 ${BATCH_LIMIT} 户；记入审计日志`,
      querystring: BatchPrintQuery, response: { 200: pdf, ...errors(400, 401, 403, 404, 422) },
    },
  }, async (request, reply) => {
    const actor = actorOf(request);
    requirePermission(actor, 'export');
    const q = request.query as z.infer<typeof BatchPrintQuery>;
    const date = q.date ?? today();
    const ids = await householdIdsIn(db, actor, { county: q.county, town: q.town, village: q.village });
    if (ids.length === 0) throw new DomainError('not_found', `${q.county ?? ''}${q.town}${q.village}在您的辖区内没有登记的户`);
    const all = packs();
    const items: MingbaizhiInput[] = [];
    for (const id of ids) items.push(await mingbaizhiInput(db, actor, id, all, date));
    const body = await renderVillageBatch(items, { duplex: q.duplex === '1' });
    await recordAudit(db, actor, 'export', `${q.county ?? actor.scope.county ?? ''}${q.town}${q.village}`, { kind: 'mingbaizhi.batch', date, households: ids });
    return sendPdf(reply, `明白纸-${q.town}${q.village}-${date}.pdf`, body);
  });
}
