/** @module Money as integer fen (分): parsing from 元 text, formatting back, never a binary fraction of a yuan. */

export type Fen = number;

/** "83.34" or 83.34 → 8334. Throws on more than two decimals: amounts in packs are exact. */
export function yuanToFen(yuan: string | number): Fen {
  const text = typeof yuan === 'number' ? String(yuan) : yuan.trim();
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) throw new Error(`Not an amount in yuan with at most two decimals: ${text}`);
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}

/** 8334 → "83.34", 300000 → "3000". */
export function formatYuan(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.trunc(abs / 100);
  const cents = abs % 100;
  return cents === 0 ? `${sign}${whole}` : `${sign}${whole}.${String(cents).padStart(2, '0')}`;
}

/** 80000 元 → "8万", for amounts a cadre reads aloud; falls back to plain yuan. */
export function formatYuanShort(fen: Fen): string {
  return fen % 1_000_000 === 0 && fen !== 0 ? `${fen / 1_000_000}万` : formatYuan(fen);
}
