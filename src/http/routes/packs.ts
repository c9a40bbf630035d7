/** @module Policy packs, policies, and screening of a household sent in the request (nothing stored). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DomainError } from '../../core/errors.ts';
import { screenHousehold } from '../../core/evaluator/evaluate.ts';
import type { Explain } from '../../core/evaluator/decision.ts';
import { notEntitled } from '../../core/evaluator/not-entitled.ts';
import { totalEntitlements } from '../../core/evaluator/totals.ts';
import { householdInField } from '../../core/model/validate.ts';
import type { CompiledPack, CompiledPolicy } from '../../core/pack/compile.ts';
import { localFactsFromYuan } from '../../packs/local.ts';
import { actorOf, type AppContext } from '../app.ts';
import { AdHocResponse, type Detail, errors, PackSummarySchema, PolicyDetailSchema, ScreenAdHocBody } from '../schemas.ts';

const tags = ['政策'];

/** What each level of detail of an ad-hoc screening answer needs from the evaluator. */
const EXPLAIN_BY_DETAIL: Record<Detail, Explain> = { brief: false, summary: 'decisive', full: true };

function summary(p: CompiledPack) {
  const m = p.manifest;
  return {
    id: m.id, version: m.version, name: m.name, counties: m.jurisdiction.counties, period: m.period, source: m.source,
    policies: p.policies.map((x) => ({ id: x.id, name: x.source.name, category: x.source.category, subject: x.source.subject })),
  };
}

function detail(policy: CompiledPolicy, pack: CompiledPack) {
  return {
    id: policy.id, pack: pack.manifest.id, packVersion: pack.manifest.version, source: policy.source, citation: policy.citation,
    conditions: policy.conditions.map((c) => ({ label: c.label, expression: c.expression.source, citation: c.citation })),
    amounts: policy.amounts.map((a) => ({
      when: a.when?.source ?? null,
      value: a.value.type === 'formula' ? { type: 'formula', expression: a.value.expression.source } : a.value,
      unit: a.unit, kind: a.kind, citation: a.citation,
    })),
  };
}

export async function packRoutes(app: FastifyInstance, { packs }: AppContext): Promise<void> {
  app.get('/packs', { schema: { tags, summary: '政策包及其政策', response: { 200: z.array(PackSummarySchema), ...errors(401) } } }, async () => packs().map(summary));

  app.get('/packs/:id', {
    schema: { tags, summary: '一个政策包', params: z.strictObject({ id: z.string().max(100) }), response: { 200: PackSummarySchema, ...errors(401, 404) } },
  }, async (request) => {
    const { id } = request.params as { id: string };
    const pack = packs().find((p) => p.manifest.id === id);
    if (!pack) throw new DomainError('not_found', `没有编号为“${id}”的政策包`);
    return summary(pack);
  });

  app.get('/policies/:id', {
    schema: { tags, summary: '一条政策的条件、金额及原文依据', params: z.strictObject({ id: z.string().max(200) }), response: { 200: PolicyDetailSchema, ...errors(401, 404) } },
  }, async (request) => {
    const { id } = request.params as { id: string };
    const pack = packs().find((p) => p.byId.has(id));
    const policy = pack?.byId.get(id);
    if (!pack || !policy) throw new DomainError('unknown_policy', `没有编号为“${id}”的政策`);
    return detail(policy, pack);
  });

  app.post('/screen', {
    schema: { tags: ['测算'], summary: '测算请求中给出的一户（不保存）：默认只详列可享受和待补充信息的政策', body: ScreenAdHocBody, response: { 200: AdHocResponse, ...errors(400, 401, 413, 422) } },
  }, async (request) => {
    actorOf(request);
    const body = request.body as z.infer<typeof ScreenAdHocBody>;
    const household = householdInField(body.household);
    const date = body.date ?? new Date().toISOString().slice(0, 10);
    const explain = EXPLAIN_BY_DETAIL[body.detail];
    const result = screenHousehold(packs(), household, date, { local: localFactsFromYuan(body.local ?? {}), explain });
    const totals = totalEntitlements(result.decisions);
    if (body.detail === 'full') return { detail: body.detail, result, notEntitled: notEntitled(result.decisions), totals };
    const ineligible = body.detail === 'summary' ? notEntitled(result.decisions) : undefined;
    result.decisions = result.decisions.filter((d) => d.status !== 'ineligible');
    return { detail: body.detail, result, notEntitled: ineligible, totals };
  });
}
