/** @module The household registry: scoped reads, versioned writes with history, 身份证号 unique and masked in every list. */
import { DomainError, type DomainErrorCode } from '../core/errors.ts';
import type { Household } from '../core/model/household.ts';
import { maskIdCard, readIdCard } from '../core/model/id-card.ts';
import { validateHousehold, type InputProblem } from '../core/model/validate.ts';
import { describeScope, inScope, requirePermission, scopeCondition, type Actor } from '../auth/roles.ts';
import { requireArea } from './areas.ts';
import { recordAudit, recordAuditMany } from './audit.ts';
import { isoTime, uniqueViolation, type SqlDatabase, type SqlRunner } from './sql.ts';

export interface HouseholdRecord {
  id: string;
  version: number;
  /** 身份证号 masked unless the caller asked for and was allowed the full numbers. */
  household: Household;
  createdAt: string;
  updatedAt: string;
  latestScreeningId: number | null;
}

export interface HouseholdSummary {
  id: string;
  version: number;
  area: { county: string; town: string | null; village: string | null };
  headName: string;
  headIdNumber: string | null;
  size: number;
  /** Categories in force today. */
  categories: string[];
  updatedAt: string;
}

export interface HouseholdFilter {
  county?: string | undefined;
  town?: string | undefined;
  village?: string | undefined;
  category?: string | undefined;
  /** Any member whose name contains this. */
  name?: string | undefined;
  /** A full 身份证号, or its last 4 or more characters. */
  idNumber?: string | undefined;
  /** With `status`: households whose latest screening gave this policy that status. */
  policy?: string | undefined;
  status?: 'eligible' | 'ineligible' | 'undetermined' | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

export interface Page<T> { items: T[]; total: number; page: number; pageSize: number }

export interface Change { path: string; before: unknown; after: unknown }

export interface HistoryEntry {
  version: number;
  action: 'create' | 'update' | 'delete';
  at: string;
  username: string | null;
  changes: Change[];
}

export const MASKED_ID = /^\d{6}\*{8}\d{3}[\dX]$/;

type HouseholdRow = { id: string; version: number; data: Household; county: string; town: string; village: string; created_at: Date; updated_at: Date; latest_screening_id: number | null };

// ---------------------------------------------------------------- masking

export function maskHousehold(h: Household): Household {
  return { ...h, members: h.members.map((m) => (m.idNumber ? { ...m, idNumber: maskIdCard(m.idNumber) } : m)) };
}

/** Masks every `idNumber` inside a JSON value (history snapshots and diffs). */
export function maskDeep(value: unknown, key = ''): unknown {
  if (key === 'idNumber' && typeof value === 'string') return maskIdCard(value);
  if (Array.isArray(value)) return value.map((v) => maskDeep(v));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, k)]));
  return value;
}

/** A client that read a masked household may send it back: a masked number standing for one of this household's members becomes the full number again. */
export function unmaskIds(input: unknown, current: Household): unknown {
  if (!input || typeof input !== 'object' || !Array.isArray((input as { members?: unknown }).members)) return input;
  const known = current.members.filter((m) => m.idNumber).map((m) => ({ name: m.name, id: m.idNumber as string, masked: maskIdCard(m.idNumber as string) }));
  const members = ((input as { members: unknown[] }).members).map((m) => {
    if (!m || typeof m !== 'object') return m;
    const member = m as { idNumber?: unknown; name?: unknown };
    if (typeof member.idNumber !== 'string' || !MASKED_ID.test(member.idNumber)) return m;
    const matches = known.filter((k) => k.masked === member.idNumber);
    const match = matches.length === 1 ? matches[0] : matches.find((k) => k.name === member.name);
    return match ? { ...member, idNumber: match.id } : m;
  });
  return { ...(input as object), members };
}

// ---------------------------------------------------------------- diff

export function diff(before: unknown, after: unknown, path = ''): Change[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (Array.isArray(before) && Array.isArray(after)) {
    const out: Change[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) out.push(...diff(before[i], after[i], `${path}[${i}]`));
    return out;
  }
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => diff(before[k], after[k], path ? `${path}.${k}` : k));
  }
  return [{ path, before: before ?? null, after: after ?? null }];
}

// ---------------------------------------------------------------- reads

function notFound(id: string): DomainError {
  return new DomainError('not_found', `户“${id}”不存在或不在您的管辖范围内`);
}

async function selectScoped(tx: SqlRunner, actor: Actor, id: string, lock: boolean): Promise<HouseholdRow> {
  const params: unknown[] = [id];
  const [row] = await tx.query<HouseholdRow>(`SELECT id, version, data, county, town, village, created_at, updated_at, latest_screening_id FROM households h
    WHERE h.id = $1 AND h.deleted_at IS NULL AND ${scopeCondition(actor.scope, 'h', params)}${lock ? ' FOR UPDATE' : ''}`, params);
  if (!row) throw notFound(id);
  return row;
}

const toRecord = (row: HouseholdRow, reveal: boolean): HouseholdRecord => ({
  id: row.id,
  version: row.version,
  household: reveal ? row.data : maskHousehold(row.data),
  createdAt: isoTime(row.created_at),
  updatedAt: isoTime(row.updated_at),
  latestScreeningId: row.latest_screening_id,
});

export async function getHousehold(db: SqlRunner, actor: Actor, id: string): Promise<HouseholdRecord> {
  requirePermission(actor, 'household.read');
  return toRecord(await selectScoped(db, actor, id, false), false);
}

/** The household with full 身份证号, for the engine; callers must not hand it to a user. */
export async function getHouseholdUnmasked(db: SqlRunner, actor: Actor, id: string): Promise<HouseholdRecord> {
  requirePermission(actor, 'household.read');
  return toRecord(await selectScoped(db, actor, id, false), true);
}

/** One member's full 身份证号; recorded in the audit log. */
export async function revealIdNumber(db: SqlDatabase, actor: Actor, id: string, memberIndex: number): Promise<{ name: string; idNumber: string }> {
  requirePermission(actor, 'idcard.reveal');
  return db.transaction(async (tx) => {
    const row = await selectScoped(tx, actor, id, false);
    const member = row.data.members[memberIndex];
    if (!member) throw new DomainError('not_found', `户“${id}”没有第${memberIndex + 1}名成员`);
    if (!member.idNumber) throw new DomainError('not_found', `成员“${member.name}”未登记身份证号`);
    await recordAudit(tx, actor, 'idcard.read', id, { member: memberIndex, name: member.name });
    return { name: member.name, idNumber: member.idNumber };
  });
}

export async function searchHouseholds(db: SqlRunner, actor: Actor, filter: HouseholdFilter): Promise<Page<HouseholdSummary>> {
  requirePermission(actor, 'household.read');
  const page = Math.max(1, filter.page ?? 1);
  const pageSize = Math.min(200, Math.max(1, filter.pageSize ?? 20));
  const params: unknown[] = [];
  const where = ['h.deleted_at IS NULL', scopeCondition(actor.scope, 'h', params)];
  const eq = (column: string, value: string | undefined) => {
    if (value !== undefined) where.push(`h.${column} = $${params.push(value)}`);
  };
  eq('county', filter.county);
  eq('town', filter.town);
  eq('village', filter.village);
  if (filter.category !== undefined) {
    where.push(`EXISTS (SELECT 1 FROM household_categories c WHERE c.household_id = h.id AND c.type = $${params.push(filter.category)}
      AND c.from_date <= CURRENT_DATE AND (c.to_date IS NULL OR c.to_date >= CURRENT_DATE))`);
  }
  if (filter.name !== undefined) where.push(`EXISTS (SELECT 1 FROM members m WHERE m.household_id = h.id AND position($${params.push(filter.name)} in m.name) > 0)`);
  if (filter.idNumber !== undefined) {
    const id = filter.idNumber.toUpperCase();
    if (id.length === 18) where.push(`EXISTS (SELECT 1 FROM members m WHERE m.household_id = h.id AND m.id_number = $${params.push(id)})`);
    else if (/^[\dX]{4,17}$/.test(id)) where.push(`EXISTS (SELECT 1 FROM members m WHERE m.household_id = h.id AND right(m.id_number, ${id.length}) = $${params.push(id)})`);
    else throw new DomainError('invalid_input', '身份证号检索应为完整的18位号码或末尾至少4位', { problems: [{ path: 'idNumber', message: '身份证号检索应为完整的18位号码或末尾至少4位' }] });
  }
  if (filter.policy !== undefined || filter.status !== undefined) {
    const conditions = ['d.screening_id = h.latest_screening_id'];
    if (filter.policy !== undefined) conditions.push(`d.policy = $${params.push(filter.policy)}`);
    if (filter.status !== undefined) conditions.push(`d.status = $${params.push(filter.status)}`);
    where.push(`EXISTS (SELECT 1 FROM screening_decisions d WHERE ${conditions.join(' AND ')})`);
  }
  const whereSql = where.join(' AND ');
  const [count] = await db.query<{ n: number }>(`SELECT count(*) AS n FROM households h WHERE ${whereSql}`, params);
  const rows = await db.query<HouseholdRow & { head_name: string; size: number; head_masked: string | null }>(
    `SELECT h.id, h.version, h.data, h.county, h.town, h.village, h.updated_at, h.head_name, h.size,
       (SELECT m.id_masked FROM members m WHERE m.household_id = h.id AND m.relation = '户主' LIMIT 1) AS head_masked
     FROM households h WHERE ${whereSql} ORDER BY h.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, pageSize, (page - 1) * pageSize]);
  const today = new Date().toISOString().slice(0, 10);
  return {
    total: Number(count?.n ?? 0),
    page,
    pageSize,
    items: rows.map((r) => ({
      id: r.id,
      version: r.version,
      area: { county: r.county, town: r.town || null, village: r.village || null },
      headName: r.head_name,
      headIdNumber: r.head_masked,
      size: r.size,
      categories: [...new Set(r.data.categories.filter((c) => c.from <= today && (!c.to || c.to >= today)).map((c) => c.type))],
      updatedAt: isoTime(r.updated_at),
    })),
  };
}

export async function householdHistory(db: SqlRunner, actor: Actor, id: string): Promise<HistoryEntry[]> {
  requirePermission(actor, 'household.read');
  await selectScoped(db, actor, id, false);
  const rows = await db.query<{ version: number; action: HistoryEntry['action']; at: Date; username: string | null; changes: Change[] }>(
    'SELECT version, action, at, username, changes FROM household_versions WHERE household_id = $1 ORDER BY version', [id]);
  return rows.map((r) => ({ version: r.version, action: r.action, at: isoTime(r.at), username: r.username, changes: maskDeep(r.changes) as Change[] }));
}

// ---------------------------------------------------------------- writes

function invalid(problems: InputProblem[]): DomainError {
  const first = problems[0];
  return new DomainError('invalid_input', first ? `${first.path ? `${first.path}：` : ''}${first.message}` : '户数据无效', { problems });
}

function validOrThrow(input: unknown): Household {
  const result = validateHousehold(input);
  if (!result.ok) throw invalid(result.problems);
  return result.value;
}

function checkScope(actor: Actor, h: Household): void {
  if (!inScope(actor.scope, h.area)) {
    throw new DomainError('forbidden', `户所在区划不在您的管辖范围（${describeScope(actor.scope)}）内`, { problems: [{ path: 'area', message: '不在管辖范围内' }] });
  }
}

/** Categories added without a 登记人 are recorded as entered by the acting user. */
function stampCategories(h: Household, actor: Actor): Household {
  return { ...h, categories: h.categories.map((c) => (c.recordedBy ? c : { ...c, recordedBy: actor.displayName })) };
}

async function checkIdNumbersFree(tx: SqlRunner, actor: Actor, h: Household): Promise<void> {
  const ids = h.members.map((m) => m.idNumber).filter((x): x is string => !!x);
  if (ids.length === 0) return;
  const taken = await tx.query<{ id_number: string; household_id: string; county: string; town: string; village: string }>(
    `SELECT m.id_number, m.household_id, h.county, h.town, h.village FROM members m JOIN households h ON h.id = m.household_id
     WHERE m.id_number = ANY($1::text[]) AND m.household_id <> $2`, [ids, h.id]);
  if (taken.length === 0) return;
  const problems = taken.map((t) => {
    const index = h.members.findIndex((m) => m.idNumber === t.id_number);
    const where = inScope(actor.scope, t) ? `户“${t.household_id}”` : '其他辖区的户';
    return { path: `members[${index}].idNumber`, message: `身份证号已在${where}登记` };
  });
  throw new DomainError('conflict', problems.map((p) => `${p.path}：${p.message}`).join('；'), { problems });
}

/** Replaces the member and category rows of these households (one statement each, whatever their number). */
async function writeRowsMany(tx: SqlRunner, hs: readonly Household[], replace: boolean): Promise<void> {
  if (hs.length === 0) return;
  if (replace) {
    const ids = hs.map((h) => h.id);
    await tx.query('DELETE FROM members WHERE household_id = ANY($1::text[])', [ids]);
    await tx.query('DELETE FROM household_categories WHERE household_id = ANY($1::text[])', [ids]);
  }
  const m: unknown[][] = [[], [], [], [], [], [], [], [], []];
  for (const h of hs) {
    h.members.forEach((member, idx) => {
      const info = member.idNumber ? readIdCard(member.idNumber) : null;
      const row = [h.id, idx, member.name, member.idNumber ?? null, member.idNumber ? maskIdCard(member.idNumber) : null,
        info?.birthDate ?? member.birthDate ?? null, info?.sex ?? member.sex ?? null, member.relation];
      row.forEach((v, i) => m[i]?.push(v));
    });
  }
  await tx.query(`INSERT INTO members (household_id, idx, name, id_number, id_masked, birth_date, sex, relation)
    SELECT t.household_id, t.idx, t.name, t.id_number, t.id_masked, t.birth_date::date, t.sex, t.relation
    FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS t(household_id, idx, name, id_number, id_masked, birth_date, sex, relation)`,
  m.slice(0, 8));
  const c: unknown[][] = [[], [], [], [], [], [], []];
  for (const h of hs) {
    h.categories.forEach((cat, idx) => {
      [h.id, idx, cat.type, cat.class ?? null, cat.from, cat.to ?? null, cat.recordedBy ?? null].forEach((v, i) => c[i]?.push(v));
    });
  }
  if ((c[0] as unknown[]).length > 0) {
    await tx.query(`INSERT INTO household_categories (household_id, idx, type, class, from_date, to_date, recorded_by)
      SELECT t.household_id, t.idx, t.type, t.class, t.from_date::date, t.to_date::date, t.recorded_by
      FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS t(household_id, idx, type, class, from_date, to_date, recorded_by)`, c);
  }
}

async function writeRows(tx: SqlRunner, h: Household): Promise<void> {
  await writeRowsMany(tx, [h], true);
}

function headName(h: Household): string {
  return h.members.find((m) => m.relation === '户主')?.name ?? h.members[0]?.name ?? '';
}

interface VersionRow { id: string; version: number; action: HistoryEntry['action']; changes: Change[]; data: Household }

async function insertVersions(tx: SqlRunner, actor: Actor, rows: readonly VersionRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(`INSERT INTO household_versions (household_id, version, action, user_id, username, changes, data)
    SELECT t.household_id, t.version, t.action, $1, $2, t.changes::jsonb, t.data::jsonb
    FROM unnest($3::text[], $4::int[], $5::text[], $6::text[], $7::text[]) AS t(household_id, version, action, changes, data)`,
  [actor.userId, actor.username, rows.map((r) => r.id), rows.map((r) => r.version), rows.map((r) => r.action), rows.map((r) => JSON.stringify(r.changes)), rows.map((r) => JSON.stringify(r.data))]);
}

async function insertVersion(tx: SqlRunner, actor: Actor, id: string, version: number, action: HistoryEntry['action'], changes: Change[], data: Household): Promise<void> {
  await insertVersions(tx, actor, [{ id, version, action, changes, data }]);
}

/** Maps a unique violation that slipped past the checks (a concurrent writer) to a conflict. */
async function guarded<T>(work: () => Promise<T>, id: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint?.includes('members_id_number')) throw new DomainError('conflict', '身份证号已在其他户登记');
    if (constraint) throw new DomainError('conflict', `户编号“${id}”已存在`);
    throw error;
  }
}

/** Inside a transaction: validates, checks scope, area and 身份证号, writes the household as version 1. */
export async function insertHousehold(tx: SqlRunner, actor: Actor, input: unknown): Promise<HouseholdRecord> {
  requirePermission(actor, 'household.create');
  const h = stampCategories(validOrThrow(input), actor);
  checkScope(actor, h);
  await requireArea(tx, h.area);
  const existing = await tx.query<{ deleted: boolean }>('SELECT deleted_at IS NOT NULL AS deleted FROM households WHERE id = $1', [h.id]);
  if (existing.length > 0) throw new DomainError('conflict', `户编号“${h.id}”已存在${existing[0]?.deleted ? '（已删除的户，编号不能重复使用）' : ''}`, { problems: [{ path: 'id', message: '户编号已存在' }] });
  await checkIdNumbersFree(tx, actor, h);
  const [row] = await tx.query<HouseholdRow>(`INSERT INTO households (id, county, town, village, area_code, head_name, size, data, version)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, 1) RETURNING id, version, data, county, town, village, created_at, updated_at, latest_screening_id`,
  [h.id, h.area.county, h.area.town ?? '', h.area.village ?? '', h.area.code ?? null, headName(h), h.members.length, JSON.stringify(h)]);
  await writeRows(tx, h);
  await insertVersion(tx, actor, h.id, 1, 'create', [], h);
  await recordAudit(tx, actor, 'household.create', h.id, { version: 1 });
  return toRecord(row as HouseholdRow, false);
}

export async function createHousehold(db: SqlDatabase, actor: Actor, input: unknown): Promise<HouseholdRecord> {
  const id = typeof (input as { id?: unknown })?.id === 'string' ? (input as { id: string }).id : '';
  return guarded(() => db.transaction((tx) => insertHousehold(tx, actor, input)), id);
}

function staleVersion(id: string, current: number, expected: number): DomainError {
  return new DomainError('conflict', `户“${id}”已被他人修改：您提交的版本为 ${expected}，当前版本为 ${current}，请刷新后重试`, { currentVersion: current });
}

/** Inside a transaction: replaces a household if `expectedVersion` is still current; an unchanged household keeps its version. */
export async function replaceHousehold(tx: SqlRunner, actor: Actor, id: string, expectedVersion: number | null, input: unknown): Promise<HouseholdRecord & { changed: boolean }> {
  requirePermission(actor, 'household.update');
  const current = await selectScoped(tx, actor, id, true);
  if (expectedVersion !== null && current.version !== expectedVersion) throw staleVersion(id, current.version, expectedVersion);
  const body = unmaskIds(input, current.data);
  if (body && typeof body === 'object' && (body as { id?: unknown }).id !== undefined && (body as { id?: unknown }).id !== id) {
    throw invalid([{ path: 'id', message: `户编号不能修改（应为“${id}”）` }]);
  }
  const h = stampCategories(validOrThrow({ ...(body as object), id }), actor);
  checkScope(actor, h);
  await requireArea(tx, h.area);
  const changes = diff(current.data, h);
  if (changes.length === 0) return { ...toRecord(current, false), changed: false };
  await checkIdNumbersFree(tx, actor, h);
  const version = current.version + 1;
  const [row] = await tx.query<HouseholdRow>(`UPDATE households SET county = $2, town = $3, village = $4, area_code = $5, head_name = $6, size = $7, data = $8::jsonb,
      version = $9, updated_at = now() WHERE id = $1 RETURNING id, version, data, county, town, village, created_at, updated_at, latest_screening_id`,
  [id, h.area.county, h.area.town ?? '', h.area.village ?? '', h.area.code ?? null, headName(h), h.members.length, JSON.stringify(h), version]);
  await writeRows(tx, h);
  await insertVersion(tx, actor, id, version, 'update', changes, h);
  await recordAudit(tx, actor, 'household.update', id, { version, fields: changes.map((c) => c.path) });
  return { ...toRecord(row as HouseholdRow, false), changed: true };
}

export async function updateHousehold(db: SqlDatabase, actor: Actor, id: string, expectedVersion: number, input: unknown): Promise<HouseholdRecord & { changed: boolean }> {
  return guarded(() => db.transaction((tx) => replaceHousehold(tx, actor, id, expectedVersion, input)), id);
}

/** Edits the stored household with `edit` (member add/change/remove) under the same version check. */
export async function editHousehold(db: SqlDatabase, actor: Actor, id: string, expectedVersion: number, edit: (current: Household) => unknown): Promise<HouseholdRecord & { changed: boolean }> {
  return guarded(() => db.transaction(async (tx) => {
    requirePermission(actor, 'household.update');
    const current = await selectScoped(tx, actor, id, true);
    if (current.version !== expectedVersion) throw staleVersion(id, current.version, expectedVersion);
    return replaceHousehold(tx, actor, id, expectedVersion, edit(current.data));
  }), id);
}

/** Marks a household deleted (its history stays); its 身份证号 become free for another household. */
export async function deleteHousehold(db: SqlDatabase, actor: Actor, id: string, expectedVersion: number): Promise<void> {
  requirePermission(actor, 'household.delete');
  await db.transaction(async (tx) => {
    const current = await selectScoped(tx, actor, id, true);
    if (current.version !== expectedVersion) throw staleVersion(id, current.version, expectedVersion);
    await tx.query('DELETE FROM members WHERE household_id = $1', [id]);
    await tx.query('DELETE FROM household_categories WHERE household_id = $1', [id]);
    await tx.query('UPDATE households SET deleted_at = now(), version = version + 1, updated_at = now() WHERE id = $1', [id]);
    await insertVersion(tx, actor, id, current.version + 1, 'delete', [], current.data);
    await recordAudit(tx, actor, 'household.delete', id, { version: current.version + 1 });
  });
}

export interface ImportItem {
  household: unknown;
  /**
   * For a household that turns out to update a registered one: the input to validate and store, given the stored household
   * (the Excel import keeps fields its file has no column for). Without it the input replaces the stored household.
   */
  merge?: ((stored: Household, input: unknown) => unknown) | undefined;
}
export interface ImportOutcome { created: string[]; updated: string[]; unchanged: string[] }
export interface ImportProblem extends InputProblem { index: number; code: DomainErrorCode }
export interface ImportOptions {
  /** Households checked and written per round of statements (default 500). */
  batchSize?: number;
  /** Called after each batch with the number of households done (checked, and written while no problem was found). */
  onProgress?: (done: number, total: number) => void;
}

/** What the import learnt so far, across batches: which file household claimed which 身份证号, registered household and 户编号. */
interface ImportState {
  idClaims: Map<string, { index: number; id: string }>;
  ownerClaims: Map<string, { index: number; id: string }>;
  newIds: Map<string, number>;
  areas: Map<string, boolean>;
  problems: ImportProblem[];
}

interface Plan { index: number; input: Record<string, unknown>; target: string; update: boolean; merge: ImportItem['merge'] }

const areaKey = (a: { county: string; town?: string | undefined; village?: string | undefined }) => `${a.county}\u0000${a.town ?? ''}\u0000${a.village ?? ''}`;

function memberIds(input: Record<string, unknown>): string[] {
  const members = Array.isArray(input.members) ? input.members as { idNumber?: unknown }[] : [];
  return members.map((m) => m?.idNumber).filter((x): x is string => typeof x === 'string' && x !== '');
}

/** Registered areas among these, remembered for the rest of the import. */
async function knownAreas(tx: SqlRunner, state: ImportState, hs: readonly Household[]): Promise<void> {
  const missing = [...new Map(hs.map((h) => [areaKey(h.area), h.area])).entries()].filter(([key]) => !state.areas.has(key));
  if (missing.length === 0) return;
  const rows = await tx.query<{ county: string; town: string; village: string }>(`SELECT a.county, a.town, a.village FROM areas a
    JOIN unnest($1::text[], $2::text[], $3::text[]) AS t(county, town, village) ON a.county = t.county AND a.town = t.town AND a.village = t.village`,
  [missing.map(([, a]) => a.county), missing.map(([, a]) => a.town ?? ''), missing.map(([, a]) => a.village ?? '')]);
  const found = new Set(rows.map((r) => areaKey({ county: r.county, town: r.town, village: r.village })));
  for (const [key] of missing) state.areas.set(key, found.has(key));
}

/**
 * One batch: every check the single-household writes make, in a few statements for the whole batch, then (while the import
 * has no problem yet) the writes. Problems are collected, not thrown, so the caller can report all of them.
 */
async function importBatch(tx: SqlRunner, actor: Actor, items: readonly ImportItem[], start: number, state: ImportState, outcome: ImportOutcome): Promise<void> {
  const problem = (index: number, code: DomainErrorCode, path: string, message: string) => state.problems.push({ index, code, path, message });
  const inputs = items.map((item) => (item.household && typeof item.household === 'object' ? { ...(item.household as Record<string, unknown>) } : {}));
  const fileId = (input: Record<string, unknown>) => (typeof input.id === 'string' ? input.id : '');

  // 1. Masked 身份证号 (a re-imported export) stand for the members of the registered household with the same 户编号.
  const masked = inputs.map((input, i) => ({ input, i })).filter(({ input }) => Array.isArray(input.members)
    && (input.members as { idNumber?: unknown }[]).some((m) => typeof m?.idNumber === 'string' && MASKED_ID.test(m.idNumber)));
  if (masked.length > 0) {
    const params: unknown[] = [masked.map(({ input }) => fileId(input))];
    const stored = new Map((await tx.query<{ id: string; data: Household }>(`SELECT h.id, h.data FROM households h
      WHERE h.id = ANY($1::text[]) AND h.deleted_at IS NULL AND ${scopeCondition(actor.scope, 'h', params)}`, params)).map((r) => [r.id, r.data]));
    for (const { input, i } of masked) {
      const current = stored.get(fileId(input));
      const resolved = (current ? unmaskIds(input, current) : input) as Record<string, unknown>;
      inputs[i] = resolved;
      (resolved.members as { idNumber?: unknown }[]).forEach((m, k) => {
        if (typeof m?.idNumber === 'string' && MASKED_ID.test(m.idNumber)) {
          problem(start + i, 'invalid_input', `members[${k}].idNumber`, `身份证号为脱敏形式（如导出文件中的样式），且不是户“${fileId(input)}”已登记成员的号码：请填写完整的18位身份证号`);
        }
      });
    }
  }
  const failed = new Set(state.problems.filter((p) => p.index >= start).map((p) => p.index));

  // 2. Who owns these 身份证号, and which 户编号 exist already.
  const allIds = [...new Set(inputs.flatMap(memberIds))];
  const owners = new Map((allIds.length === 0 ? [] : await tx.query<{ id_number: string; household_id: string; county: string; town: string; village: string }>(
    `SELECT m.id_number, m.household_id, h.county, h.town, h.village FROM members m JOIN households h ON h.id = m.household_id WHERE m.id_number = ANY($1::text[])`, [allIds]))
    .map((r) => [r.id_number, r]));
  const existing = new Map((await tx.query<{ id: string; deleted: boolean; county: string; town: string; village: string }>(
    'SELECT id, deleted_at IS NOT NULL AS deleted, county, town, village FROM households WHERE id = ANY($1::text[])', [inputs.map(fileId)])).map((r) => [r.id, r]));

  // 3. Create or update, and the claims no two households of one file may share.
  const plans: Plan[] = [];
  inputs.forEach((input, i) => {
    const index = start + i;
    if (failed.has(index)) return;
    const id = fileId(input);
    const ids = memberIds(input);
    const members = input.members as { idNumber?: unknown }[];
    let clash = false;
    for (const number of ids) {
      const claim = state.idClaims.get(number);
      if (claim && claim.index !== index) {
        problem(index, 'invalid_input', `members[${members.findIndex((m) => m?.idNumber === number)}].idNumber`, `身份证号与本文件中的户“${claim.id}”的成员重复`);
        clash = true;
      }
    }
    if (clash) return;
    const householdOwners = [...new Map(ids.map((n) => owners.get(n)).filter((o) => o !== undefined).map((o) => [o.household_id, o])).values()];
    if (householdOwners.length > 1) {
      problem(index, 'invalid_input', 'members', `成员的身份证号分属多个已登记的户（${householdOwners.map((o) => o.household_id).join('、')}）`);
      return;
    }
    let owner: { household_id: string; county: string; town: string; village: string } | undefined = householdOwners[0];
    const sameId = existing.get(id);
    // Without any 身份证号, the 户编号 is what identifies a registered household of one's own area.
    if (!owner && ids.length === 0 && sameId && !sameId.deleted && inScope(actor.scope, sameId)) owner = { household_id: sameId.id, county: sameId.county, town: sameId.town, village: sameId.village };
    if (owner && !inScope(actor.scope, owner)) {
      problem(index, 'forbidden', 'members', '成员的身份证号已在您管辖范围以外的户登记');
      return;
    }
    if (owner) {
      const claim = state.ownerClaims.get(owner.household_id);
      if (claim && claim.index !== index) {
        problem(index, 'invalid_input', 'members', `与本文件中的户“${claim.id}”对应同一个已登记的户“${owner.household_id}”`);
        return;
      }
      state.ownerClaims.set(owner.household_id, { index, id });
    } else {
      if (sameId) {
        problem(index, 'conflict', 'id', `户编号“${id}”已存在${sameId.deleted ? '（已删除的户，编号不能重复使用）' : inScope(actor.scope, sameId) ? '，且本户成员的身份证号与之不符' : ''}`);
        return;
      }
      const twin = state.newIds.get(id);
      if (twin !== undefined && twin !== index) {
        problem(index, 'conflict', 'id', `户编号“${id}”在本文件中重复`);
        return;
      }
      state.newIds.set(id, index);
    }
    for (const number of ids) state.idClaims.set(number, { index, id });
    plans.push({ index, input, target: owner?.household_id ?? id, update: owner !== undefined, merge: items[i]?.merge });
  });

  // 4. The households to update, locked, then every household validated against what it will replace.
  const updates = plans.filter((p) => p.update);
  const lockParams: unknown[] = [updates.map((p) => p.target)];
  const current = new Map(updates.length === 0 ? [] : (await tx.query<HouseholdRow>(`SELECT id, version, data, county, town, village, created_at, updated_at, latest_screening_id
    FROM households h WHERE h.id = ANY($1::text[]) AND h.deleted_at IS NULL AND ${scopeCondition(actor.scope, 'h', lockParams)} ORDER BY h.id FOR UPDATE`, lockParams)).map((r) => [r.id, r]));
  const ready: { plan: Plan; h: Household; row?: HouseholdRow | undefined; changes: Change[] }[] = [];
  for (const plan of plans) {
    const row = plan.update ? current.get(plan.target) : undefined;
    if (plan.update && !row) {
      problem(plan.index, 'not_found', 'id', `户“${plan.target}”不存在或不在您的管辖范围内`);
      continue;
    }
    let body: unknown = plan.input;
    if (row) {
      body = unmaskIds(plan.merge ? plan.merge(row.data, plan.input) : plan.input, row.data);
      body = { ...(body as object), id: plan.target };
    }
    const result = validateHousehold(body);
    if (!result.ok) {
      for (const p of result.problems) problem(plan.index, 'invalid_input', p.path, p.message);
      continue;
    }
    const h = stampCategories(result.value, actor);
    if (!inScope(actor.scope, h.area)) {
      problem(plan.index, 'forbidden', 'area', `户所在区划不在您的管辖范围（${describeScope(actor.scope)}）内`);
      continue;
    }
    ready.push({ plan, h, row, changes: row ? diff(row.data, h) : [] });
  }
  await knownAreas(tx, state, ready.map((r) => r.h));
  const writable = ready.filter(({ plan, h }) => {
    if (state.areas.get(areaKey(h.area))) return true;
    const name = [h.area.county, h.area.town, h.area.village].filter(Boolean).join('');
    problem(plan.index, 'unknown_area', 'area', `区划“${name}”未登记，请先由区县管理员登记该区划`);
    return false;
  });

  // 5. Writes, only while the whole import is still clean (it is rolled back otherwise).
  if (state.problems.length > 0) return;
  const created = writable.filter((r) => !r.row).map((r) => r.h);
  const changed = writable.filter((r) => r.row && r.changes.length > 0) as { plan: Plan; h: Household; row: HouseholdRow; changes: Change[] }[];
  for (const r of writable) {
    if (!r.row) outcome.created.push(r.h.id);
    else (r.changes.length > 0 ? outcome.updated : outcome.unchanged).push(r.h.id);
  }
  const columns = (hs: readonly Household[]) => [hs.map((h) => h.id), hs.map((h) => h.area.county), hs.map((h) => h.area.town ?? ''), hs.map((h) => h.area.village ?? ''),
    hs.map((h) => h.area.code ?? null), hs.map(headName), hs.map((h) => h.members.length), hs.map((h) => JSON.stringify(h))];
  if (created.length > 0) {
    await tx.query(`INSERT INTO households (id, county, town, village, area_code, head_name, size, data, version)
      SELECT t.id, t.county, t.town, t.village, t.area_code, t.head_name, t.size, t.data::jsonb, 1
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[]) AS t(id, county, town, village, area_code, head_name, size, data)`, columns(created));
  }
  if (changed.length > 0) {
    await tx.query(`UPDATE households h SET county = t.county, town = t.town, village = t.village, area_code = t.area_code, head_name = t.head_name, size = t.size,
        data = t.data::jsonb, version = h.version + 1, updated_at = now()
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[]) AS t(id, county, town, village, area_code, head_name, size, data)
      WHERE h.id = t.id`, columns(changed.map((c) => c.h)));
  }
  await writeRowsMany(tx, created, false);
  await writeRowsMany(tx, changed.map((c) => c.h), true);
  const versions: VersionRow[] = [
    ...created.map((h) => ({ id: h.id, version: 1, action: 'create' as const, changes: [], data: h })),
    ...changed.map((c) => ({ id: c.h.id, version: c.row.version + 1, action: 'update' as const, changes: c.changes, data: c.h })),
  ];
  await insertVersions(tx, actor, versions);
  await recordAuditMany(tx, actor, versions.map((v) => ({
    action: v.action === 'create' ? 'household.create' : 'household.update', target: v.id,
    detail: v.action === 'create' ? { version: 1, import: true } : { version: v.version, fields: v.changes.map((c) => c.path), import: true },
  })));
}

/** The problems of a refused import as one error: the code of the first household that failed, every problem with its index. */
function importRefused(problems: ImportProblem[]): DomainError {
  const sorted = [...problems].sort((a, b) => a.index - b.index);
  const first = sorted[0] as ImportProblem;
  return new DomainError(first.code, `${first.path ? `${first.path}：` : ''}${first.message}${sorted.length > 1 ? `（共${sorted.length}处问题）` : ''}`, { problems: sorted });
}

class ImportRefused extends Error {}

/**
 * Writes many households in ONE transaction, all or nothing. A household whose members' 身份证号 are already registered
 * updates that household (so re-importing the same file changes nothing); one without any 身份证号 updates the registered
 * household of the actor's area with its 户编号; otherwise it is created. Every household is checked, and all problems are
 * reported together (each with the index of its item), before anything is committed.
 */
export async function importHouseholds(db: SqlDatabase, actor: Actor, items: readonly ImportItem[], options: ImportOptions = {}): Promise<ImportOutcome> {
  requirePermission(actor, 'import');
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const outcome: ImportOutcome = { created: [], updated: [], unchanged: [] };
  const state: ImportState = { idClaims: new Map(), ownerClaims: new Map(), newIds: new Map(), areas: new Map(), problems: [] };
  try {
    await db.transaction(async (tx) => {
      for (let start = 0; start < items.length; start += batchSize) {
        const end = Math.min(items.length, start + batchSize);
        await importBatch(tx, actor, items.slice(start, end), start, state, outcome);
        options.onProgress?.(end, items.length);
      }
      if (state.problems.length > 0) throw new ImportRefused();
      await recordAudit(tx, actor, 'import', null, { created: outcome.created.length, updated: outcome.updated.length, unchanged: outcome.unchanged.length });
    });
  } catch (error) {
    if (error instanceof ImportRefused) throw importRefused(state.problems);
    // A concurrent writer registered the same 身份证号 or 户编号 after the checks.
    const constraint = uniqueViolation(error);
    if (constraint) throw new DomainError('conflict', constraint.includes('members_id_number') ? '身份证号已被同时进行的其他操作登记，请重新导入' : '户编号已被同时进行的其他操作登记，请重新导入');
    throw error;
  }
  return outcome;
}
