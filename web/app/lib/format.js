// Display helpers: money, amounts, statuses, dates, and Chinese names for what the API returns in codes.

export const STATUS = {
  eligible: { label: '可享受', type: 'success' },
  undetermined: { label: '待补充信息', type: 'warning' },
  ineligible: { label: '不符合', type: 'info' },
};

/** What kind of money an amount is (the 明白纸 uses the same words). */
export const KIND_NOTE = {
  cash: '', waiver: '减免', premium: '资助参保', in_kind: '统筹使用，不直接发给个人', cap: '最高限额', rate: '比例', loan: '贷款额度',
};

export const ROLE_SCOPE = { county: '区县', town: '镇街', village: '村社' };

/** 123456 fen → "1,234.56". */
export function yuan(fen) {
  if (fen === null || fen === undefined) return '';
  const n = Number(fen) / 100;
  return n.toLocaleString('zh-CN', { minimumFractionDigits: Number.isInteger(n) ? 0 : 2, maximumFractionDigits: 2 });
}

const isPercent = (amount) => amount.percent !== null && amount.percent !== undefined;

/** A decision's amount, short: "2,000元/年", "70%", "10 个百分点" (as on the 明白纸). */
export function amountText(amount) {
  if (!amount) return '';
  if (isPercent(amount)) return amount.unit.startsWith('个百分点') ? `${amount.percent} 个百分点` : `${amount.percent}%`;
  if (amount.fen === null || amount.fen === undefined) return amount.unit;
  return `${yuan(amount.fen)}${amount.unit}`;
}

/** What the amount is: a percent's own description ("一档个人缴费"), else the kind of money (减免, 资助参保…). */
export function amountNote(amount) {
  if (!amount) return '';
  if (isPercent(amount)) return amount.unit.replace(/^(个百分点|%)\s*/, '').replace(/^（(.*)）$/, '$1').trim() || KIND_NOTE[amount.kind];
  return KIND_NOTE[amount.kind];
}

/** The label of a total: its period (每年, 每学期, 每月, 一次性) as the server sums them. */
export const totalKey = (t) => t.period ?? t.unit;

/** A total as one line: "每年 2,500 元". */
export function unitTotal(t) {
  return t.period ? `${t.period} ${yuan(t.fen)} 元` : `${yuan(t.fen)}${t.unit}`;
}

export function areaText(area) {
  if (!area) return '';
  return [area.county, area.town, area.village].filter(Boolean).join(' ');
}

export function scopeText(scope) {
  return [scope?.county, scope?.town, scope?.village].filter(Boolean).join(' ') || '全部区域';
}

export function dateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function valueText(v) {
  if (v === undefined || v === null || v === '') return '—';
  if (v === true) return '是';
  if (v === false) return '否';
  if (Array.isArray(v)) return v.length ? v.map(valueText).join('、') : '无';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export const ACTION = { create: '新建', update: '修改', delete: '删除' };

/** The seed file of a citation, shown as the document's title when the pack says which one it is. */
export function documentTitle(file, packs) {
  const pack = (packs ?? []).find((p) => p.source.file === file);
  return pack ? `《${pack.source.title}》` : file;
}
