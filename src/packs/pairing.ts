/** @module 渝中 2019 annex as data: which district departments pair with which street's 困难群众 (head-counts), and the "321" cadre rule. */
import { join } from 'node:path';
import { z } from 'zod';
import { PACKS_DIR, readYaml } from './load.ts';
import { DomainError } from '../core/errors.ts';

export const PAIRING_PACK_ID = 'cq-yuzhong-2019';

const headCount = z.int().min(0);

/** 困难群众（人） by column; `special` is null where the table leaves the cell empty (福利院). */
export const PairingCountsSchema = z.strictObject({
  dibao: headCount,
  tekun: headCount,
  special: headCount.nullable(),
  subtotal: headCount,
}).refine((c) => c.dibao + c.tekun + (c.special ?? 0) === c.subtotal, { message: '小计 must equal 低保对象 + 特困人员（孤儿） + 特殊困难家庭建档' });

export const PairingRowSchema = z.strictObject({
  /** 序号; null for the 福利院 row, which has none. */
  no: z.int().min(1).nullable(),
  /** The 区级部门 cell verbatim (departments separated by 、); null where no department is paired. */
  departments: z.string().min(2).nullable(),
  /** The 街道 cell without spaces (the seed writes “大  坪”); 福利院 is an institution, not a street. */
  street: z.string().min(2),
  counts: PairingCountsSchema,
});

const QuotedSchema = z.strictObject({ quote: z.string().min(2) });

export const CadreRankSchema = z.strictObject({
  rank: z.string().min(2),
  /** How many 困难群众 a cadre of this rank pairs with, inclusive range. */
  min: z.int().min(1),
  max: z.int().min(1),
  quote: z.string().min(4),
}).refine((r) => r.min <= r.max, { message: 'min must not exceed max' });

export const PairingTableSchema = z.strictObject({
  source: z.strictObject({ file: z.string(), title: z.string(), quote: z.string().min(4) }),
  columns: z.strictObject({ dibao: z.string(), tekun: z.string(), special: z.string(), subtotal: z.string() }),
  rows: z.array(PairingRowSchema).min(1),
  total: z.strictObject({ quote: z.string().min(2), counts: PairingCountsSchema }),
  organisation: QuotedSchema,
  rule321: z.strictObject({ quote: z.string().min(4), ranks: z.array(CadreRankSchema).min(1) }),
}).superRefine((t, ctx) => {
  const sum = (key: 'dibao' | 'tekun' | 'special' | 'subtotal') => t.rows.reduce((n, r) => n + (r.counts[key] ?? 0), 0);
  for (const key of ['dibao', 'tekun', 'special', 'subtotal'] as const) {
    if (sum(key) !== (t.total.counts[key] ?? 0)) ctx.addIssue({ code: 'custom', path: ['total', 'counts', key], message: `合计 ${String(t.total.counts[key])} ≠ sum of rows ${sum(key)}` });
  }
  const streets = t.rows.map((r) => r.street);
  if (new Set(streets).size !== streets.length) ctx.addIssue({ code: 'custom', path: ['rows'], message: 'a street appears twice' });
  const departments = t.rows.flatMap((r) => splitDepartments(r.departments));
  if (new Set(departments).size !== departments.length) ctx.addIssue({ code: 'custom', path: ['rows'], message: 'a department is paired with two streets' });
});

export type PairingCounts = z.infer<typeof PairingCountsSchema>;
export type PairingRow = z.infer<typeof PairingRowSchema>;
export type CadreRank = z.infer<typeof CadreRankSchema>;
export type PairingTable = z.infer<typeof PairingTableSchema>;

/** The departments of one row's 区级部门 cell. */
export function splitDepartments(cell: string | null): string[] {
  return cell === null ? [] : cell.split('、').map((d) => d.trim()).filter((d) => d.length > 0);
}

/** Reads and validates packs/cq-yuzhong-2019/pairing.yaml. */
export function loadPairing(root = PACKS_DIR, packId = PAIRING_PACK_ID): PairingTable {
  const path = join(root, packId, 'pairing.yaml');
  const parsed = PairingTableSchema.safeParse(readYaml(path));
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new DomainError('invalid_pack', `${path}: ${detail}`);
  }
  return parsed.data;
}

/** The row for a street (街道 name with or without the 街道 suffix), if the table has one. */
export function pairingForStreet(table: PairingTable, street: string): PairingRow | undefined {
  const name = street.replace(/\s+/g, '').replace(/街道$/, '');
  return table.rows.find((r) => r.street === name);
}

/** The row a district department is paired through, if any. */
export function pairingForDepartment(table: PairingTable, department: string): PairingRow | undefined {
  return table.rows.find((r) => splitDepartments(r.departments).includes(department));
}

/** How many 困难群众 a cadre of the given rank pairs with under the "321" rule. */
export function cadreQuota(table: PairingTable, rank: string): CadreRank | undefined {
  return table.rule321.ranks.find((r) => r.rank === rank);
}
