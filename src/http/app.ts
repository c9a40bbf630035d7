/** @module The REST API: Fastify with zod-checked requests and responses, bearer sessions, OpenAPI at /docs. */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { DomainError } from '../core/errors.ts';
import type { CompiledPack } from '../core/pack/compile.ts';
import type { Actor } from '../auth/roles.ts';
import { loadPacks } from '../packs/load.ts';
import { authenticate } from '../storage/users.ts';
import type { SqlDatabase } from '../storage/sql.ts';
import { installErrorHandler } from './errors.ts';
import { accountRoutes } from './routes/accounts.ts';
import { caseworkRoutes } from './routes/casework.ts';
import { excelRoutes } from './routes/excel.ts';
import { householdRoutes } from './routes/households.ts';
import { importRoutes } from './routes/imports.ts';
import { packRoutes } from './routes/packs.ts';
import { rescreenRoutes } from './routes/rescreen.ts';
import { uiRoutes } from './routes/ui.ts';
import { toOpenApi, useZod } from './zod-schemas.ts';

export interface AppOptions {
  db: SqlDatabase;
  /** The compiled packs; loaded from packs/ by default. */
  packs?: () => readonly CompiledPack[];
  /** JSON body limit in bytes (default 1 MiB); Excel uploads have their own. */
  bodyLimit?: number;
  excelLimit?: number;
  logger?: boolean;
  /** Serve the web UI (web/) at / (default true). */
  ui?: boolean;
}

export interface AppContext {
  db: SqlDatabase;
  packs: () => readonly CompiledPack[];
  excelLimit: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionToken: string | null;
  }
  interface FastifyContextConfig {
    /** Reachable without logging in. */
    public?: boolean;
  }
}

/** The logged-in actor of a request (the auth hook has run). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new DomainError('unauthenticated', '请先登录');
  return request.actor;
}

export const API_INFO = {
  title: 'mingbai 明白 API',
  description: '户籍登记、政策测算与 Excel 导入导出。除登录外，所有接口须带 Authorization: Bearer <token>。错误以中文说明并给出字段路径。',
  version: '0.1.0',
};

const LARGE_ANSWER_CHARS = 8192;

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;
  const app = Fastify({ logger: options.logger ?? false, bodyLimit, ajv: { customOptions: { strict: false } } });
  useZod(app);
  installErrorHandler(app, bodyLimit);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: API_INFO,
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: toOpenApi,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.decorateRequest('actor', null);
  app.decorateRequest('sessionToken', null);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/') || request.routeOptions.config?.public) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new DomainError('unauthenticated', '请先登录（缺少 Authorization: Bearer 令牌）');
    request.actor = await authenticate(options.db, match[1]);
    request.sessionToken = match[1];
  });

  // Node 20 encodes a string answer twice (for Content-Length, then on write), slowly for Chinese text; encode large ones once.
  app.addHook('onSend', (_request, _reply, payload, done) => {
    done(null, typeof payload === 'string' && payload.length > LARGE_ANSWER_CHARS ? Buffer.from(payload) : payload);
  });

  const context: AppContext = { db: options.db, packs: options.packs ?? (() => loadPacks()), excelLimit: options.excelLimit ?? 20 * 1024 * 1024 };
  app.get('/health', { config: { public: true }, schema: { hide: true } }, async () => ({ ok: true, database: options.db.kind }));
  await app.register(async (api) => {
    await accountRoutes(api, context);
    await householdRoutes(api, context);
    await packRoutes(api, context);
    await excelRoutes(api, context);
    await importRoutes(api, context);
    await rescreenRoutes(api, context);
    await caseworkRoutes(api, context);
  }, { prefix: '/api' });
  if (options.ui ?? true) await uiRoutes(app);
  return app;
}
