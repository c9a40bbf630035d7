/** @module Areas (区县/镇街/村社), keyed by the 统计用区划代码 where known; a household must sit in a registered area. */
import { DomainError } from '../core/errors.ts';
import { inScope, requirePermission, scopeCondition, type Actor, type AreaRef } from '../auth/roles.ts';
import { recordAudit } from './audit.ts';
import { uniqueViolation, type SqlDatabase, type SqlRunner } from './sql.ts';

export interface Area {
  id: number;
  level: '区县' | '镇街' | '村社';
  county: string;
  town: string | null;
  village: string | null;
  code: string | null;
}

export interface AreaInput { county: string; town?: string | null | undefined; village?: string | null | undefined; code?: string | null | undefined }

type AreaRow = { id: number; level: Area['level']; county: string; town: string; village: string; code: string | null };
const toArea = (r: AreaRow): Area => ({ id: r.id, level: r.level, county: r.county, town: r.town || null, village: r.village || null, code: r.code });

function levelOf(area: AreaInput): Area['level'] {
  if (area.village) return '村社';
  return area.town ? '镇街' : '区县';
}

export async function listAreas(db: SqlRunner, actor: Actor): Promise<Area[]> {
  const params: unknown[] = [];
  const rows = await db.query<AreaRow>(`SELECT id, level, county, town, village, code FROM areas a WHERE ${scopeCondition(actor.scope, 'a', params)} ORDER BY county, town, village`, params);
  return rows.map(toArea);
}

/** Registers an area and the 区县/镇街 above it if missing; returns the area. */
export async function ensureArea(tx: SqlRunner, area: AreaInput): Promise<Area> {
  const chain: AreaInput[] = [{ county: area.county }];
  if (area.town) chain.push({ county: area.county, town: area.town });
  if (area.village) chain.push({ county: area.county, town: area.town ?? '', village: area.village });
  let last: AreaRow | undefined;
  for (const [i, a] of chain.entries()) {
    const code = i === chain.length - 1 ? area.code ?? null : null;
    await tx.query(`INSERT INTO areas (level, county, town, village, code) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (county, town, village) DO UPDATE SET code = COALESCE(areas.code, EXCLUDED.code)`,
    [levelOf(a), a.county, a.town ?? '', a.village ?? '', code]);
    [last] = await tx.query<AreaRow>('SELECT id, level, county, town, village, code FROM areas WHERE county = $1 AND town = $2 AND village = $3', [a.county, a.town ?? '', a.village ?? '']);
  }
  return toArea(last as AreaRow);
}

export async function createArea(db: SqlDatabase, actor: Actor, area: AreaInput): Promise<Area> {
  requirePermission(actor, 'area.manage');
  if (!inScope(actor.scope, area)) throw new DomainError('forbidden', '只能在本人管辖范围内新增区划');
  try {
    return await db.transaction(async (tx) => {
      const created = await ensureArea(tx, area);
      await recordAudit(tx, actor, 'area.create', String(created.id), { ...area });
      return created;
    });
  } catch (error) {
    if (uniqueViolation(error)) throw new DomainError('conflict', `区划代码“${area.code}”已被其他区划使用`);
    throw error;
  }
}

/** The registered area a household names, or an unknown_area error saying what is registered. */
export async function requireArea(tx: SqlRunner, area: AreaRef, path = 'area'): Promise<void> {
  const rows = await tx.query('SELECT 1 FROM areas WHERE county = $1 AND town = $2 AND village = $3', [area.county, area.town ?? '', area.village ?? '']);
  if (rows.length > 0) return;
  const name = [area.county, area.town, area.village].filter(Boolean).join('');
  throw new DomainError('unknown_area', `区划“${name}”未登记，请先由区县管理员登记该区划`, { problems: [{ path, message: `区划“${name}”未登记` }] });
}
