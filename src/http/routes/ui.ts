/** @module The web UI: web/ served as plain ES modules, Vue and Element Plus from node_modules through an import map, and the SPA fallback. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { can, ROLE_SCOPE_LEVEL, ROLES, type Actor, type Permission } from '../../auth/roles.ts';
import { HOUSEHOLD_FACTS, MEMBER_FACTS } from '../../core/model/facts.ts';
import { householdJsonSchema } from '../../core/model/household-json-schema.ts';
import { HOUSEHOLD_CATEGORIES } from '../../core/model/vocabulary.ts';
import { AMOUNT_KINDS, POLICY_CATEGORIES } from '../../core/pack/format.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const WEB_ROOT = join(REPO, 'web');
const MODULES = join(REPO, 'node_modules');

/** /vendor/<name> → a file in node_modules (the browser builds, no bundler). */
export const VENDOR: Record<string, string> = {
  'vue.js': 'vue/dist/vue.esm-browser.prod.js',
  'element-plus.js': 'element-plus/dist/index.full.min.mjs',
  'element-plus.css': 'element-plus/dist/index.css',
  'element-plus-zh-cn.js': 'element-plus/dist/locale/zh-cn.min.mjs',
  'icons-vue.js': '@element-plus/icons-vue/dist/index.js',
};

const PERMISSIONS: Permission[] = [
  'household.read', 'household.create', 'household.update', 'household.delete', 'idcard.reveal', 'screening.store', 'import', 'export',
  'user.manage', 'area.manage', 'audit.read',
];

/** What the UI needs to label and check input: the household JSON Schema (Chinese descriptions), vocabularies, fact labels, role permissions. */
export function uiMeta() {
  const roleActor = (role: (typeof ROLES)[number]): Actor => ({ userId: null, username: '', displayName: '', role, scope: { county: null, town: null, village: null } });
  return {
    householdSchema: householdJsonSchema(),
    householdCategories: HOUSEHOLD_CATEGORIES,
    policyCategories: POLICY_CATEGORIES,
    amountKinds: AMOUNT_KINDS,
    memberFacts: Object.fromEntries(Object.entries(MEMBER_FACTS).map(([k, v]) => [k, { label: v.label, input: v.input }])),
    householdFacts: Object.fromEntries(Object.entries(HOUSEHOLD_FACTS).map(([k, v]) => [k, { label: v.label, input: v.input }])),
    roles: Object.fromEntries(ROLES.map((r) => [r, { scopeLevel: ROLE_SCOPE_LEVEL[r], permissions: PERMISSIONS.filter((p) => can(roleActor(r), p)) }])),
  };
}

const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-cache');

export async function uiRoutes(app: FastifyInstance): Promise<void> {
  for (const file of Object.values(VENDOR)) {
    if (!existsSync(join(MODULES, file))) throw new Error(`web UI: missing ${file} in node_modules (run npm install)`);
  }
  await app.register(fastifyStatic, {
    root: join(WEB_ROOT, 'app'),
    prefix: '/app/',
    cacheControl: false,
    setHeaders: (reply) => { reply.header('cache-control', 'no-cache'); },
  });

  app.get('/vendor/:file', { schema: { hide: true } }, async (request, reply) => {
    const file = VENDOR[(request.params as { file: string }).file];
    if (!file) return reply.callNotFound();
    if (file.endsWith('.js') || file.endsWith('.mjs')) reply.type('text/javascript; charset=utf-8');
    return reply.sendFile(file.split('/').pop() as string, join(MODULES, dirname(file)), { maxAge: '1d', immutable: false });
  });

  const meta = JSON.stringify(uiMeta());
  app.get('/ui/meta.json', { schema: { hide: true } }, async (_request, reply) => noStore(reply).type('application/json; charset=utf-8').send(meta));

  const index = async (_request: unknown, reply: FastifyReply) => noStore(reply).type('text/html; charset=utf-8').sendFile('index.html', WEB_ROOT);
  app.get('/', { schema: { hide: true } }, index);
  // The SPA's own paths (/households/…, /policies, …) load index.html; API, docs and file-like paths stay 404.
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (/^\/(api|docs|vendor|app|ui)(\/|$)/.test(path) || /\.[a-z0-9]+$/i.test(path)) return reply.callNotFound();
    return index(request, reply);
  });
}
