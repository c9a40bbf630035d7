/** @module Households, members, history and stored screenings: each handler is one call into the storage layer. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DomainError } from '../../core/errors.ts';
import type { Household } from '../../core/model/household.ts';
import { localFactsFromYuan } from '../../packs/local.ts';
import {
  createHousehold, deleteHousehold, editHousehold, getHousehold, householdHistory, revealIdNumber, searchHouseholds, updateHousehold,
} from '../../storage/households.ts';
import { getScreening, listScreenings, screenStoredHousehold, staleness } from '../../storage/screenings.ts';
import { actorOf, type AppContext } from '../app.ts';
import {
  errors, HistorySchema, HouseholdBody, HouseholdPage, HouseholdQuery, HouseholdRecordSchema, IdParams, MemberBody, MemberParams,
  RevealResponse, ScreeningListSchema, ScreeningParams, ScreenStoredBody, StoredScreeningSchema, UpdateBody, VersionQuery,
} from '../schemas.ts';

const tags = ['户'];
const today = () => new Date().toISOString().slice(0, 10);

function memberAt(h: Household, index: number, id: string) {
  if (!h.members[index]) throw new DomainError('not_found', `户“${id}”没有序号为 ${index} 的成员（共${h.members.length}名，序号从0开始）`);
}

export async function householdRoutes(app: FastifyInstance, { db, packs }: AppContext): Promise<void> {
  app.get('/households', {
    schema: { tags, summary: '检索户（按区划、户类别、姓名、身份证号、政策测算状态），分页；身份证号脱敏', querystring: HouseholdQuery, response: { 200: HouseholdPage, ...errors(400, 401) } },
  }, async (request) => searchHouseholds(db, actorOf(request), request.query as z.infer<typeof HouseholdQuery>));

  app.post('/households', {
    schema: { tags, summary: '新增户（版本1）', body: HouseholdBody, response: { 201: HouseholdRecordSchema, ...errors(400, 401, 403, 409, 413, 422) } },
  }, async (request, reply) => reply.status(201).send(await createHousehold(db, actorOf(request), request.body)));

  app.get('/households/:id', {
    schema: { tags, summary: '读取一户（身份证号脱敏）', params: IdParams, response: { 200: HouseholdRecordSchema, ...errors(401, 404) } },
  }, async (request) => getHousehold(db, actorOf(request), (request.params as { id: string }).id));

  app.put('/households/:id', {
    schema: { tags, summary: '修改一户：须提交读取时的版本号，版本已变则返回 409 与当前版本', params: IdParams, body: UpdateBody, response: { 200: HouseholdRecordSchema, ...errors(400, 401, 403, 404, 409, 413, 422) } },
  }, async (request) => {
    const body = request.body as z.infer<typeof UpdateBody>;
    return updateHousehold(db, actorOf(request), (request.params as { id: string }).id, body.version, body.household);
  });

  app.delete('/households/:id', {
    schema: { tags, summary: '删除一户（保留历史）', params: IdParams, querystring: VersionQuery, response: { 204: z.null(), ...errors(400, 401, 403, 404, 409) } },
  }, async (request, reply) => {
    await deleteHousehold(db, actorOf(request), (request.params as { id: string }).id, (request.query as { version: number }).version);
    return reply.status(204).send(null);
  });

  app.get('/households/:id/history', {
    schema: { tags, summary: '一户的全部版本：谁、何时、改了什么（身份证号脱敏）', params: IdParams, response: { 200: HistorySchema, ...errors(401, 404) } },
  }, async (request) => householdHistory(db, actorOf(request), (request.params as { id: string }).id));

  app.post('/households/:id/members', {
    schema: { tags: ['成员'], summary: '新增成员', params: IdParams, body: MemberBody, response: { 200: HouseholdRecordSchema, ...errors(400, 401, 403, 404, 409) } },
  }, async (request) => {
    const { id } = request.params as { id: string };
    const body = request.body as z.infer<typeof MemberBody>;
    return editHousehold(db, actorOf(request), id, body.version, (h) => ({ ...h, members: [...h.members, body.member] }));
  });

  app.put('/households/:id/members/:index', {
    schema: { tags: ['成员'], summary: '修改成员（整条替换）', params: MemberParams, body: MemberBody, response: { 200: HouseholdRecordSchema, ...errors(400, 401, 403, 404, 409) } },
  }, async (request) => {
    const { id, index } = request.params as z.infer<typeof MemberParams>;
    const body = request.body as z.infer<typeof MemberBody>;
    return editHousehold(db, actorOf(request), id, body.version, (h) => {
      memberAt(h, index, id);
      return { ...h, members: h.members.map((m, i) => (i === index ? body.member : m)) };
    });
  });

  app.delete('/households/:id/members/:index', {
    schema: { tags: ['成员'], summary: '删除成员', params: MemberParams, querystring: VersionQuery, response: { 200: HouseholdRecordSchema, ...errors(400, 401, 403, 404, 409) } },
  }, async (request) => {
    const { id, index } = request.params as z.infer<typeof MemberParams>;
    return editHousehold(db, actorOf(request), id, (request.query as { version: number }).version, (h) => {
      memberAt(h, index, id);
      return { ...h, members: h.members.filter((_, i) => i !== index) };
    });
  });

  app.get('/households/:id/members/:index/id-number', {
    schema: { tags: ['成员'], summary: '查看成员完整身份证号（记入审计日志）', params: MemberParams, response: { 200: RevealResponse, ...errors(401, 403, 404) } },
  }, async (request) => {
    const { id, index } = request.params as z.infer<typeof MemberParams>;
    return revealIdNumber(db, actorOf(request), id, index);
  });

  app.post('/households/:id/screenings', {
    schema: { tags: ['测算'], summary: '测算已登记的户并保存结果（含所用政策包版本）', params: IdParams, body: ScreenStoredBody.optional(), response: { 201: StoredScreeningSchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (request, reply) => {
    const body = (request.body ?? {}) as z.infer<typeof ScreenStoredBody>;
    const stored = await screenStoredHousehold(db, actorOf(request), (request.params as { id: string }).id, packs(), body.date ?? today(), { local: localFactsFromYuan(body.local ?? {}) });
    return reply.status(201).send(stored);
  });

  app.get('/households/:id/screenings', {
    schema: { tags: ['测算'], summary: '一户已保存的测算，最新在前，并标明是否需重新测算', params: IdParams, response: { 200: ScreeningListSchema, ...errors(401, 404) } },
  }, async (request) => {
    const actor = actorOf(request);
    const { id } = request.params as { id: string };
    const record = await getHousehold(db, actor, id);
    const list = await listScreenings(db, actor, id);
    return list.map((s) => ({ ...s, stale: staleness(s, record.version, record.household.area.county, packs()) }));
  });

  app.get('/households/:id/screenings/:screeningId', {
    schema: { tags: ['测算'], summary: '一次已保存的测算：结果、理由、原文依据', params: ScreeningParams, response: { 200: StoredScreeningSchema, ...errors(401, 404) } },
  }, async (request) => {
    const actor = actorOf(request);
    const { id, screeningId } = request.params as z.infer<typeof ScreeningParams>;
    const record = await getHousehold(db, actor, id);
    const stored = await getScreening(db, actor, id, screeningId);
    return { ...stored, stale: staleness(stored, record.version, record.household.area.county, packs()) };
  });
}
