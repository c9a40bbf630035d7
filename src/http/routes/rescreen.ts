/** @module Stale screenings of the user's area, and re-screening them all at once. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { localFactsFromYuan } from '../../packs/local.ts';
import { countStale, rescreenStale } from '../../storage/rescreen.ts';
import { actorOf, type AppContext } from '../app.ts';
import { errors, RescreenBody, RescreenResponse, StaleCountsSchema } from '../schemas.ts';

const tags = ['测算'];

export async function rescreenRoutes(app: FastifyInstance, { db, packs }: AppContext): Promise<void> {
  app.get('/screenings/stale', {
    schema: { tags, summary: '本辖区需重新测算的户数：测算后户信息有修改，或适用的政策包有变化', response: { 200: StaleCountsSchema, ...errors(401, 403) } },
  }, async (request) => countStale(db, actorOf(request), packs()));

  app.post('/screenings/rescreen', {
    schema: {
      tags, summary: '批量重新测算本辖区内测算结果已过时的户（分批保存，记入审计日志），返回各项户数',
      body: RescreenBody.nullish(), response: { 200: RescreenResponse, ...errors(400, 401, 403) },
    },
  }, async (request) => {
    const body = (request.body ?? {}) as z.infer<typeof RescreenBody>;
    return rescreenStale(db, actorOf(request), packs(), { date: body.date, local: localFactsFromYuan(body.local ?? {}), includeUnscreened: body.includeUnscreened });
  });
}
