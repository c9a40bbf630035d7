/** @module A small page-flow layer over PDFKit: A4 pages, paragraphs and ruled tables whose rows never split across pages. */
import type PDFDocument from 'pdfkit';

export const PAGE = { width: 595.28, height: 841.89 };
export const MARGIN = { left: 48, right: 48, top: 40, bottom: 52 };
export const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;

export const COLOR = { text: '#111111', muted: '#555555', rule: '#333333', headerFill: '#e6e6e6', groupFill: '#f4f4f4', accent: '#b3261e' };

export type Doc = InstanceType<typeof PDFDocument>;
export type FontName = 'regular' | 'bold';

/** One run of text inside a cell; runs are stacked as paragraphs. */
export interface Run { text: string; font?: FontName; size?: number; color?: string; align?: 'left' | 'center' | 'right' }

export interface Cell { runs: Run[]; span?: number; fill?: string }

export interface Row {
  cells: Cell[];
  fill?: string;
  /** A row that heads a group must share its page with the next row. */
  keepWithNext?: boolean;
  /** For a group heading: what to repeat at the top of a page when its group continues there. */
  continued?: Row;
}

export interface Column { header: string; width: number; align?: 'left' | 'center' | 'right' }

export const PAD_X = 5;
const PAD_Y = 3.5;
const LINE_GAP = 1;
const BASE_SIZE = 9.5;

export function cell(text: string, style: Omit<Run, 'text'> = {}, extra: Omit<Cell, 'runs'> = {}): Cell {
  return { runs: text ? [{ text, ...style }] : [], ...extra };
}

/** Writes top to bottom; starts a new page (with the running header) whenever the next block would not fit. */
export class Flow {
  y = MARGIN.top;
  readonly bottom = PAGE.height - MARGIN.bottom;

  constructor(readonly doc: Doc, private readonly runningHeader: (flow: Flow) => void) {}

  use(font: FontName, size: number, color = COLOR.text): void {
    this.doc.font(font).fontSize(size).fillColor(color);
  }

  heightOf(run: Run, width: number): number {
    if (!run.text) return 0;
    this.use(run.font ?? 'regular', run.size ?? BASE_SIZE);
    return this.doc.heightOfString(run.text, { width, lineGap: LINE_GAP });
  }

  write(run: Run, x: number, y: number, width: number): number {
    if (!run.text) return 0;
    this.use(run.font ?? 'regular', run.size ?? BASE_SIZE, run.color ?? COLOR.text);
    this.doc.text(run.text, x, y, { width, lineGap: LINE_GAP, align: run.align ?? 'left' });
    return this.heightOf(run, width);
  }

  /**
   * Joins items with 、 into lines that break only between items (a name is never split), as long as an item fits the
   * width. Lines are separate runs: PDFKit measures a line ending in "\n" wider than it draws it.
   */
  list(items: readonly string[], width: number, style: Omit<Run, 'text'> = {}): Cell {
    const { font = 'regular', size = BASE_SIZE } = style;
    this.use(font, size);
    const lines: string[] = [];
    let line = '';
    for (const [i, item] of items.entries()) {
      const piece = i < items.length - 1 ? `${item}、` : item;
      if (line && this.doc.widthOfString(line + piece) > width) {
        lines.push(line);
        line = piece;
      } else line += piece;
    }
    if (line) lines.push(line);
    return { runs: lines.map((text) => ({ text, ...style })) };
  }

  /** Whether text fits on one line of the width. */
  fits(text: string, width: number, font: FontName = 'regular', size = BASE_SIZE): boolean {
    this.use(font, size);
    return this.doc.widthOfString(text) <= width;
  }

  newPage(): void {
    this.doc.addPage();
    this.y = MARGIN.top;
    this.runningHeader(this);
  }

  /** Starts a new page unless `height` fits below the current position (a block taller than a page is not moved). */
  ensure(height: number): void {
    if (this.y + height > this.bottom && height <= this.bottom - MARGIN.top) this.newPage();
  }

  paragraph(run: Run, { gapAfter = 4, x = MARGIN.left, width = CONTENT_WIDTH } = {}): void {
    const h = this.heightOf(run, width);
    this.ensure(h);
    this.write(run, x, this.y, width);
    this.y += h + gapAfter;
  }

  /** Height of a section heading (level 1, with a red bar) or a sub-heading (level 2). */
  heading(text: string, level: 1 | 2 = 1): number {
    return level === 1 ? this.heightOf({ text, font: 'bold', size: 12 }, CONTENT_WIDTH - 8) + 7 : this.heightOf({ text, font: 'bold', size: 10 }, CONTENT_WIDTH) + 4;
  }

  drawHeading(text: string, level: 1 | 2 = 1): void {
    const h = this.heading(text, level);
    if (level === 1) {
      this.doc.rect(MARGIN.left, this.y + 3, 3, h - 10).fill(COLOR.accent);
      this.write({ text, font: 'bold', size: 12 }, MARGIN.left + 8, this.y, CONTENT_WIDTH - 8);
    } else {
      this.write({ text, font: 'bold', size: 10 }, MARGIN.left, this.y, CONTENT_WIDTH);
    }
    this.y += h;
  }

  rowHeight(columns: readonly Column[], row: Row): number {
    let h = 0;
    let col = 0;
    for (const c of row.cells) {
      const width = spanWidth(columns, col, c.span ?? 1) - 2 * PAD_X;
      h = Math.max(h, c.runs.reduce((sum, r) => sum + this.heightOf(r, width), 0));
      col += c.span ?? 1;
    }
    return h + 2 * PAD_Y;
  }

  /**
   * A ruled table under an optional heading. The header row repeats on every page; a row is moved whole to the next
   * page when it does not fit, a row marked keepWithNext moves with the row after it, and the last row moves with `tail`.
   */
  table(
    columns: readonly Column[], rows: readonly Row[],
    { title, level = 1, header = true, tail = 0 }: { title?: string; level?: 1 | 2; header?: boolean; /** Height that must follow the last row on its page. */ tail?: number } = {},
  ): void {
    const headerRow: Row = { cells: columns.map((c) => cell(c.header, { font: 'bold', align: 'center' })), fill: COLOR.headerFill };
    const headerH = header ? this.rowHeight(columns, headerRow) : 0;
    const heights = rows.map((r) => this.rowHeight(columns, r));
    const titleH = title ? this.heading(title, level) : 0;
    let onThisPage = 0;
    let group: Row | undefined;
    rows.forEach((row, i) => {
      if (row.continued) group = row.continued;
      const continuedH = group && !row.continued ? this.rowHeight(columns, group) : 0;
      let need = heights[i] ?? 0;
      if (row.keepWithNext && i + 1 < rows.length) need += heights[i + 1] ?? 0;
      if (i === rows.length - 1) need += tail;
      const first = i === 0;
      if (first || onThisPage === 0) need += headerH;
      if (first) need += titleH;
      if (this.y + need > this.bottom && need + continuedH <= this.bottom - MARGIN.top) {
        this.newPage();
        onThisPage = 0;
      }
      if (first && title) this.drawHeading(title, level);
      if (onThisPage === 0 && header) this.drawRow(columns, headerRow, headerH);
      if (onThisPage === 0 && !first && group && !row.continued) this.drawRow(columns, group, continuedH);
      this.drawRow(columns, row, heights[i] ?? 0);
      onThisPage++;
    });
    if (!rows.length && title) {
      this.ensure(titleH + headerH);
      this.drawHeading(title, level);
    }
    this.y += 8;
  }

  private drawRow(columns: readonly Column[], row: Row, height: number): void {
    const { doc } = this;
    let x = MARGIN.left;
    let col = 0;
    for (const c of row.cells) {
      const span = c.span ?? 1;
      const width = spanWidth(columns, col, span);
      const fill = c.fill ?? row.fill;
      if (fill) doc.rect(x, this.y, width, height).fill(fill);
      let y = this.y + PAD_Y;
      const align = columns[col]?.align;
      for (const run of c.runs) y += this.write({ align, ...run }, x + PAD_X, y, width - 2 * PAD_X);
      doc.lineWidth(0.6).strokeColor(COLOR.rule).rect(x, this.y, width, height).stroke();
      x += width;
      col += span;
    }
    this.y += height;
  }
}

function spanWidth(columns: readonly Column[], from: number, span: number): number {
  return columns.slice(from, from + span).reduce((w, c) => w + c.width, 0);
}
