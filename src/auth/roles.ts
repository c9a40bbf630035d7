/** @module Roles, what each may do, and the area each is confined to. Checked by the data layer on every call. */
import { DomainError } from '../core/errors.ts';

export const ROLES = ['区县管理员', '部门', '镇街', '村社', '帮扶干部', '只读'] as const;
export type Role = (typeof ROLES)[number];

/** A user's area: null parts are unrestricted; a 村社 user has all three. */
export interface AreaScope {
  county: string | null;
  town: string | null;
  village: string | null;
}

export interface Actor {
  userId: number | null;
  username: string;
  displayName: string;
  role: Role;
  scope: AreaScope;
}

export type Permission =
  | 'household.read' | 'household.create' | 'household.update' | 'household.delete'
  | 'idcard.reveal' | 'screening.store' | 'import' | 'export'
  | 'user.manage' | 'area.manage' | 'audit.read';

const ALL: readonly Role[] = ROLES;
const PERMISSIONS: Record<Permission, readonly Role[]> = {
  'household.read': ALL,
  'household.create': ['区县管理员', '镇街', '村社'],
  'household.update': ['区县管理员', '镇街', '村社', '帮扶干部'],
  'household.delete': ['区县管理员', '镇街'],
  'idcard.reveal': ['区县管理员', '部门', '镇街', '村社', '帮扶干部'],
  'screening.store': ['区县管理员', '部门', '镇街', '村社', '帮扶干部'],
  import: ['区县管理员', '镇街', '村社'],
  export: ALL,
  'user.manage': ['区县管理员'],
  'area.manage': ['区县管理员'],
  'audit.read': ['区县管理员'],
};

const ACTION_NAMES: Record<Permission, string> = {
  'household.read': '查看户信息',
  'household.create': '新增户',
  'household.update': '修改户信息',
  'household.delete': '删除户',
  'idcard.reveal': '查看完整身份证号',
  'screening.store': '保存测算结果',
  import: '导入 Excel',
  export: '导出数据',
  'user.manage': '管理用户',
  'area.manage': '管理区划',
  'audit.read': '查看审计日志',
};

/** The scope part each role must name: a 村社 user without a village would see too much. */
export const ROLE_SCOPE_LEVEL: Record<Role, 'county' | 'town' | 'village'> = {
  区县管理员: 'county',
  部门: 'county',
  镇街: 'town',
  村社: 'village',
  帮扶干部: 'village',
  只读: 'county',
};

/** The start-up and test actor: every permission, every area. */
export const SYSTEM_ACTOR: Actor = {
  userId: null, username: 'system', displayName: '系统', role: '区县管理员', scope: { county: null, town: null, village: null },
};

export function can(actor: Actor, permission: Permission): boolean {
  return PERMISSIONS[permission].includes(actor.role);
}

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw new DomainError('forbidden', `角色“${actor.role}”无权${ACTION_NAMES[permission]}`);
}

export interface AreaRef { county: string; town?: string | null | undefined; village?: string | null | undefined }

export function inScope(scope: AreaScope, area: AreaRef): boolean {
  return (scope.county === null || scope.county === area.county)
    && (scope.town === null || scope.town === (area.town ?? ''))
    && (scope.village === null || scope.village === (area.village ?? ''));
}

export function describeScope(scope: AreaScope): string {
  return [scope.county, scope.town, scope.village].filter(Boolean).join('') || '全部区域';
}

/** SQL condition confining rows of a table with county/town/village columns to a scope; pushes its parameters. */
export function scopeCondition(scope: AreaScope, alias: string, params: unknown[]): string {
  const parts: string[] = [];
  for (const key of ['county', 'town', 'village'] as const) {
    const value = scope[key];
    if (value === null) continue;
    params.push(value);
    parts.push(`${alias}.${key} = $${params.length}`);
  }
  return parts.length > 0 ? parts.join(' AND ') : 'TRUE';
}
