// The 渝中 2019 annex (department-to-street pairing table and the "321" rule) as data, checked cell by cell against the seed.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cadreQuota, loadPairing, pairingForDepartment, pairingForStreet, splitDepartments, type PairingCounts } from '../../src/packs/pairing.ts';
import { loadPacks } from '../../src/packs/load.ts';
import { SEEDS_DIR } from '../../src/packs/seeds.ts';

const table = loadPairing();
const seed = readFileSync(join(SEEDS_DIR, table.source.file), 'utf8');
const seedLines = seed.split(/\r?\n/);

/** The annex table read straight from the seed: blocks of cells separated by empty lines, after the 小计 header. */
function tableFromSeed() {
  const clean = (line: string) => line.replace(/\[bookmark: [^\]]*\]/g, '').trim();
  const start = seedLines.findIndex((l) => clean(l) === '小计');
  const blocks: string[][] = [];
  let current: string[] = [];
  for (const raw of seedLines.slice(start + 1)) {
    if (raw === '') {
      if (current.length > 0) blocks.push(current);
      current = [];
      if (blocks.at(-1)?.includes('合计')) break;
    } else current.push(clean(raw));
  }
  const count = (cell: string | undefined) => (cell ? Number(cell) : null);
  const totalBlock = blocks.pop() as string[];
  const rows = blocks.map((cells) => {
    const [no, departments, street, dibao, tekun, special, subtotal] = cells;
    return {
      no: count(no),
      departments: departments || null,
      street: (street ?? '').replace(/\s+/g, ''),
      counts: { dibao: count(dibao), tekun: count(tekun), special: count(special), subtotal: count(subtotal) },
    };
  });
  const [, label, dibao, tekun, special, subtotal] = totalBlock;
  return { rows, label, total: { dibao: count(dibao), tekun: count(tekun), special: count(special), subtotal: count(subtotal) } };
}

const fromSeed = tableFromSeed();
const onOneLine = (quote: string) => seedLines.some((l) => l.includes(quote));

describe('渝中 2019 pairing table (pairing.yaml)', () => {
  it('reproduces every row of the annex table: 序号, departments, street and the four head-counts', () => {
    expect(fromSeed.rows).toHaveLength(12);
    expect(table.rows).toEqual(fromSeed.rows);
  });

  it('has the 合计 row of the text, and the rows add up to it', () => {
    expect(fromSeed.label).toBe(table.total.quote);
    expect(table.total.counts).toEqual(fromSeed.total);
    const sum = (key: keyof PairingCounts) => table.rows.reduce((n, r) => n + (r.counts[key] ?? 0), 0);
    expect({ dibao: sum('dibao'), tekun: sum('tekun'), special: sum('special'), subtotal: sum('subtotal') })
      .toEqual({ dibao: 10875, tekun: 340, special: 803, subtotal: 12018 });
    expect(table.total.counts.dibao + table.total.counts.tekun + (table.total.counts.special ?? 0)).toBe(table.total.counts.subtotal);
  });

  it('gives each row a 小计 equal to its three head-counts', () => {
    for (const r of table.rows) expect(r.counts.dibao + r.counts.tekun + (r.counts.special ?? 0), r.street).toBe(r.counts.subtotal);
  });

  it('lists every street of the table once, and all eleven 渝中区 streets are paired with departments', () => {
    const streets = table.rows.map((r) => r.street);
    expect(new Set(streets)).toEqual(new Set(fromSeed.rows.map((r) => r.street)));
    expect(new Set(streets).size).toBe(streets.length);
    const paired = table.rows.filter((r) => r.departments !== null).map((r) => r.street);
    expect(paired).toEqual(['七星岗', '解放碑', '南纪门', '上清寺', '朝天门', '化龙桥', '大溪沟', '两路口', '菜园坝', '石油路', '大坪']);
    expect(table.rows.find((r) => r.departments === null)?.street).toBe('福利院');
  });

  it('pairs each department with exactly one street', () => {
    const departments = table.rows.flatMap((r) => splitDepartments(r.departments));
    expect(departments.length).toBe(fromSeed.rows.flatMap((r) => splitDepartments(r.departments)).length);
    expect(departments.length).toBe(66);
    expect(new Set(departments).size).toBe(departments.length);
  });

  it('quotes the seed verbatim, each quote within one line', () => {
    const quotes = [
      table.source.quote, table.source.title, table.total.quote, table.organisation.quote, table.rule321.quote,
      ...Object.values(table.columns),
      ...table.rows.flatMap((r) => (r.departments ? [r.departments] : [])),
      ...table.rule321.ranks.map((r) => r.quote),
    ];
    expect(quotes.filter((q) => !onOneLine(q))).toEqual([]);
  });

  it('states the "321" rule as the text does: 区级领导 2–3, 处级领导 1–2, 其他干部 1', () => {
    expect(table.rule321.ranks.map((r) => [r.rank, r.min, r.max])).toEqual([['区级领导', 2, 3], ['处级领导', 1, 2], ['其他干部', 1, 1]]);
    for (const r of table.rule321.ranks) {
      expect(table.rule321.quote).toContain(r.quote);
      expect(r.quote.startsWith(r.rank)).toBe(true);
      const m = /结对(\d+)(?:-(\d+))?人/.exec(r.quote);
      expect(m, r.quote).not.toBeNull();
      expect([Number(m?.[1]), Number(m?.[2] ?? m?.[1])]).toEqual([r.min, r.max]);
    }
    expect(table.rule321.quote).toContain('“321”原则');
  });

  it('answers look-ups by street, department and rank', () => {
    expect(pairingForStreet(table, '大坪街道')?.counts.subtotal).toBe(848);
    expect(pairingForStreet(table, '大  坪')?.no).toBe(11);
    expect(pairingForDepartment(table, '区民政局')?.street).toBe('大坪');
    expect(pairingForDepartment(table, 'CBD管委会')?.street).toBe('解放碑');
    expect(pairingForDepartment(table, '不存在的部门')).toBeUndefined();
    expect(cadreQuota(table, '处级领导')).toMatchObject({ min: 1, max: 2 });
  });

  it('names, for every 责任单位 of the pack, a department that is itself paired with a street', () => {
    const pack = loadPacks().find((p) => p.manifest.id === 'cq-yuzhong-2019');
    const authorities = new Set(pack?.policies.flatMap((p) => p.source.authority.map((a) => a.department)) ?? []);
    const specific = [...authorities].filter((d) => !['区级各部门', '各街道办事处'].includes(d));
    expect(specific.length).toBeGreaterThan(5);
    expect(specific.filter((d) => !pairingForDepartment(table, d))).toEqual([]);
  });
});
