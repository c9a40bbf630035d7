/** @module Login, the current user, users, areas and the audit log. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requirePermission } from '../../auth/roles.ts';
import { createArea, listAreas } from '../../storage/areas.ts';
import { listAudit } from '../../storage/audit.ts';
import { changePassword, createUser, listUsers, login, LoginThrottledError, logout, setUserActive, type NewUser } from '../../storage/users.ts';
import { actorOf, type AppContext } from '../app.ts';
import {
  AreaBody, AreaSchema, AuditQuery, AuditSchema, ErrorSchema, errors, LoginBody, LoginResponse, NewUserBody, PasswordBody, UserIdParams, UserSchema,
} from '../schemas.ts';

export async function accountRoutes(app: FastifyInstance, { db }: AppContext): Promise<void> {
  app.post('/auth/login', {
    config: { public: true },
    schema: {
      tags: ['登录与用户'], summary: '登录，取得会话令牌；同一账号从同一地址15分钟内密码错误5次后暂停登录（429）',
      security: [], body: LoginBody, response: { 200: LoginResponse, 429: ErrorSchema, ...errors(400, 401) },
    },
  }, async (request, reply) => {
    const { username, password } = request.body as z.infer<typeof LoginBody>;
    try {
      return await login(db, username, password, request.ip);
    } catch (error) {
      if (!(error instanceof LoginThrottledError)) throw error;
      return reply.status(429).header('retry-after', String(error.retryAfterSeconds)).send({ error: 'too_many_attempts', message: error.message });
    }
  });

  app.post('/auth/password', {
    schema: { tags: ['登录与用户'], summary: '修改本人密码（须提供当前密码）；本人的其他会话随之失效', body: PasswordBody, response: { 204: z.null(), ...errors(400, 401, 403) } },
  }, async (request, reply) => {
    const body = request.body as z.infer<typeof PasswordBody>;
    await changePassword(db, actorOf(request), body.currentPassword, body.newPassword, request.sessionToken);
    return reply.status(204).send(null);
  });

  app.post('/auth/logout', { schema: { tags: ['登录与用户'], summary: '退出登录', response: { 204: z.null(), ...errors(401) } } }, async (request, reply) => {
    await logout(db, actorOf(request), request.sessionToken ?? '');
    return reply.status(204).send(null);
  });

  app.get('/auth/me', { schema: { tags: ['登录与用户'], summary: '当前用户', response: { 200: UserSchema.omit({ id: true, createdAt: true }).extend({ userId: z.number().nullable() }), ...errors(401) } } }, async (request) => {
    const actor = actorOf(request);
    return { userId: actor.userId, username: actor.username, displayName: actor.displayName, role: actor.role, scope: actor.scope };
  });

  app.get('/users', { schema: { tags: ['登录与用户'], summary: '用户列表（区县管理员）', response: { 200: z.array(UserSchema), ...errors(401, 403) } } }, async (request) => listUsers(db, actorOf(request)));

  app.post('/users', { schema: { tags: ['登录与用户'], summary: '新增用户（区县管理员，限本辖区）', body: NewUserBody, response: { 201: UserSchema, ...errors(400, 401, 403, 409) } } }, async (request, reply) => {
    const user = await createUser(db, actorOf(request), request.body as NewUser);
    return reply.status(201).send(user);
  });

  app.post('/users/:id/deactivate', {
    schema: { tags: ['登录与用户'], summary: '停用用户（区县管理员，限本辖区）：不能再登录，现有会话立即失效', params: UserIdParams, response: { 200: UserSchema, ...errors(400, 401, 403, 404) } },
  }, async (request) => setUserActive(db, actorOf(request), (request.params as z.infer<typeof UserIdParams>).id, false));

  app.post('/users/:id/activate', {
    schema: { tags: ['登录与用户'], summary: '重新启用用户（区县管理员，限本辖区）', params: UserIdParams, response: { 200: UserSchema, ...errors(400, 401, 403, 404) } },
  }, async (request) => setUserActive(db, actorOf(request), (request.params as z.infer<typeof UserIdParams>).id, true));

  app.get('/areas', { schema: { tags: ['区划'], summary: '本辖区内已登记的区划', response: { 200: z.array(AreaSchema), ...errors(401) } } }, async (request) => listAreas(db, actorOf(request)));

  app.post('/areas', { schema: { tags: ['区划'], summary: '登记区划（区县管理员）', body: AreaBody, response: { 201: AreaSchema, ...errors(400, 401, 403, 409) } } }, async (request, reply) => {
    const area = await createArea(db, actorOf(request), request.body as z.infer<typeof AreaBody>);
    return reply.status(201).send(area);
  });

  app.get('/audit', {
    schema: { tags: ['审计'], summary: '审计日志（区县管理员），最新在前；只含本辖区的户、用户与区划的记录', querystring: AuditQuery, response: { 200: AuditSchema, ...errors(400, 401, 403) } },
  }, async (request) => {
    const actor = actorOf(request);
    requirePermission(actor, 'audit.read');
    const q = request.query as z.infer<typeof AuditQuery>;
    return listAudit(db, { limit: q.limit, beforeId: q.before, action: q.action, scope: actor.scope });
  });
}
