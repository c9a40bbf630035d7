/** @module The printable 明白纸 (policy explainer handed to a household): one A4 handout per household, or a whole village in one PDF. */
import PDFDocument from 'pdfkit';
import { DomainError } from '../core/errors.ts';
import { buildContent, NO_AMOUNT, type MingbaizhiContent, type MingbaizhiInput } from './content.ts';
import { findCjkFont, fontBytes, type CjkFont } from './font.ts';
import { cell, COLOR, CONTENT_WIDTH, Flow, MARGIN, PAD_X, PAGE, type Column, type Doc, type Row, type Run } from './layout.ts';

export type { MingbaizhiInput } from './content.ts';

export interface BatchOptions {
  /** For double-sided printing: pad each household to an even number of pages so no sheet carries two households. */
  duplex?: boolean;
}

/** The 明白纸 of one household as a PDF (A4, one page or more). */
export function renderMingbaizhi(input: MingbaizhiInput): Promise<Buffer> {
  return renderVillageBatch([input]);
}

/** Many households in one PDF for printing a whole village: each starts on a new page and has its own page numbers. */
export function renderVillageBatch(items: readonly MingbaizhiInput[], options: BatchOptions = {}): Promise<Buffer> {
  if (!items.length) return Promise.reject(new DomainError('invalid_input', '没有要打印的户'));
  for (const item of items) {
    if (item.result.household !== item.household.id) {
      return Promise.reject(new DomainError('invalid_input', `测算结果属于户“${item.result.household}”，与户“${item.household.id}”不符`));
    }
  }
  const font = findCjkFont();
  const first = items[0] as MingbaizhiInput;
  const stamp = new Date(`${first.result.date}T00:00:00Z`);
  const doc = new PDFDocument({
    size: 'A4',
    autoFirstPage: false,
    bufferPages: true,
    // PDFKit's own bottom margin stays small: Flow decides page breaks, and the page footer sits below Flow's bottom.
    margins: { top: MARGIN.top, left: MARGIN.left, right: MARGIN.right, bottom: 20 },
    info: {
      Title: items.length === 1 ? `政策明白纸 ${first.household.id}` : `政策明白纸（${items.length} 户）`,
      Author: '明白 mingbai',
      Subject: '政策明白纸',
      CreationDate: stamp,
      ModDate: stamp,
    },
  });
  registerFonts(doc, font);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  try {
    for (const item of items) renderHousehold(doc, buildContent(item), options);
  } catch (error) {
    doc.end();
    return Promise.reject(error);
  }
  doc.end();
  return done;
}

function registerFonts(doc: Doc, font: CjkFont): void {
  // Fonts are embedded as subsets: only the glyphs used are written to the PDF.
  doc.registerFont('regular', fontBytes(font.regular), font.regular.family as string);
  doc.registerFont('bold', fontBytes(font.bold), font.bold.family as string);
}

function renderHousehold(doc: Doc, c: MingbaizhiContent, options: BatchOptions): void {
  const firstPage = doc.bufferedPageRange().start + doc.bufferedPageRange().count;
  const flow = new Flow(doc, (f) => runningHeader(f, c));
  doc.addPage();
  titleBlock(flow, c);
  householdSection(flow, c);
  entitlementSection(flow, c);
  measureSection(flow, c);
  // The closing block never stands alone on a page: the last rows of section 四 go with it.
  missingSection(flow, c, closingHeight(flow, c));
  closingBlock(flow, c);

  const range = doc.bufferedPageRange();
  if (options.duplex && (range.start + range.count - firstPage) % 2 === 1) {
    doc.addPage();
    flow.use('regular', 10, COLOR.muted);
    doc.text('（本页无正文）', MARGIN.left, PAGE.height / 2, { width: CONTENT_WIDTH, align: 'center' });
  }
  const end = doc.bufferedPageRange().start + doc.bufferedPageRange().count;
  const total = end - firstPage;
  for (let page = firstPage; page < end; page++) {
    doc.switchToPage(page);
    pageFooter(doc, c, page - firstPage + 1, total);
  }
  doc.flushPages();
}

function sectionNumber(n: number): string {
  return ['一', '二', '三', '四', '五', '六'][n - 1] ?? String(n);
}

function titleBlock(flow: Flow, c: MingbaizhiContent): void {
  const { doc } = flow;
  flow.use('bold', 24);
  // Letter spacing also follows the last character; shift by half of it so the title sits centred.
  doc.text('政策明白纸', MARGIN.left + 3, flow.y, { width: CONTENT_WIDTH, align: 'center', characterSpacing: 6 });
  flow.y += 36;
  for (const name of c.packNames) flow.y += flow.write({ text: name, size: 10.5, color: COLOR.muted, align: 'center' }, MARGIN.left, flow.y, CONTENT_WIDTH);
  flow.y += 4;
  doc.lineWidth(1.6).strokeColor(COLOR.accent).moveTo(MARGIN.left, flow.y).lineTo(PAGE.width - MARGIN.right, flow.y).stroke();
  doc.lineWidth(0.5).moveTo(MARGIN.left, flow.y + 3).lineTo(PAGE.width - MARGIN.right, flow.y + 3).stroke();
  flow.y += 10;
  const found = [
    c.entitlementCount ? `您家可以享受下面列出的 ${c.entitlementCount} 项政策` : '暂未算出您家可以享受的政策',
    ...(c.measures.length ? [`结对帮扶人将帮您家落实 ${c.measures.length} 项帮扶措施`] : []),
  ].join('，');
  const greeting = `${c.head}户：根据您家登记的情况，按 ${c.date} 时有效的政策测算，${found}。`
    + (c.entitlementCount ? '有疑问请拨打表中的咨询电话，或找您家的帮扶责任人。' : '请看第四部分还需补充的信息，有疑问请找您家的帮扶责任人。');
  flow.paragraph({ text: greeting, size: 10.5 }, { gapAfter: 8 });
}

function runningHeader(flow: Flow, c: MingbaizhiContent): void {
  const { doc } = flow;
  flow.use('bold', 10);
  doc.text('政策明白纸（续）', MARGIN.left, flow.y, { width: CONTENT_WIDTH / 2, lineBreak: false });
  flow.use('regular', 9, COLOR.muted);
  doc.text(`户编号：${c.householdId}\u3000户主：${c.head}`, MARGIN.left + CONTENT_WIDTH / 2, flow.y + 1, { width: CONTENT_WIDTH / 2, align: 'right', lineBreak: false });
  flow.y += 16;
  doc.lineWidth(0.5).strokeColor(COLOR.rule).moveTo(MARGIN.left, flow.y).lineTo(PAGE.width - MARGIN.right, flow.y).stroke();
  flow.y += 10;
}

function pageFooter(doc: Doc, c: MingbaizhiContent, page: number, total: number): void {
  // The footer sits in the bottom margin; without this PDFKit would start a new page for it.
  doc.page.margins.bottom = 0;
  const y = PAGE.height - MARGIN.bottom + 22;
  doc.lineWidth(0.5).strokeColor('#999999').moveTo(MARGIN.left, y - 6).lineTo(PAGE.width - MARGIN.right, y - 6).stroke();
  doc.font('regular').fontSize(8.5).fillColor(COLOR.muted);
  doc.text(`户编号 ${c.householdId} · 测算日期 ${c.date}`, MARGIN.left, y, { width: CONTENT_WIDTH / 2, lineBreak: false });
  doc.text(`第 ${page} 页 / 共 ${total} 页`, MARGIN.left + CONTENT_WIDTH / 2, y, { width: CONTENT_WIDTH / 2, align: 'right', lineBreak: false });
}

function householdSection(flow: Flow, c: MingbaizhiContent): void {
  const label = (text: string) => cell(text, { font: 'bold' }, { fill: COLOR.groupFill });
  const info: Column[] = [{ header: '', width: 72 }, { header: '', width: 178 }, { header: '', width: 80 }, { header: '', width: CONTENT_WIDTH - 330 }];
  flow.table(info, [
    { cells: [label('户编号'), cell(c.householdId), label('户主'), cell(c.head)] },
    { cells: [label('所在地'), cell(c.area), label('家庭人均收入'), cell(c.income)] },
    { cells: [label('户类别'), cell(c.categories, {}, { span: 3 })] },
  ], { title: `${sectionNumber(1)}、家庭基本情况`, header: false });
  flow.y -= 8;
  const members: Column[] = [
    { header: '序号', width: 32, align: 'center' }, { header: '姓名', width: 66 }, { header: '与户主关系', width: 66, align: 'center' },
    { header: '身份证号', width: 128 }, { header: '家庭成员情况', width: CONTENT_WIDTH - 292 },
  ];
  flow.table(members, c.members.map((m) => ({
    cells: [cell(String(m.index + 1)), cell(m.name), cell(m.relation), cell(m.idNumber), cell(m.notes || '—')],
  })));
}

function entitlementSection(flow: Flow, c: MingbaizhiContent): void {
  const title = `${sectionNumber(2)}、可以享受的政策（共 ${c.entitlementCount} 项）`;
  if (!c.entitlementCount) {
    flow.ensure(flow.heading(title) + 20);
    flow.drawHeading(title);
    flow.paragraph({ text: '按现有登记信息，暂未算出可以享受的政策。', size: 10 }, { gapAfter: 6 });
    return;
  }
  const columns: Column[] = [
    { header: '序号', width: 30, align: 'center' }, { header: '政策名称及内容', width: 174 }, { header: '享受人', width: 90 },
    { header: '标准', width: 92 }, { header: '主管部门及咨询电话', width: CONTENT_WIDTH - 386 },
  ];
  const rows: Row[] = [];
  let n = 0;
  for (const group of c.entitlements) {
    const groupRow = (text: string): Row => ({ cells: [cell(text, { font: 'bold', align: 'left' }, { span: 5 })], fill: COLOR.groupFill });
    rows.push({ ...groupRow(`${group.category}（${group.lines.length} 项）`), keepWithNext: true, continued: groupRow(`${group.category}（续）`) });
    for (const line of group.lines) {
      n++;
      rows.push({
        cells: [
          cell(String(n)),
          { runs: [{ text: line.name, font: 'bold' }, { text: line.benefit, size: 8.5, color: COLOR.muted }] },
          flow.list(line.who, (columns[2]?.width ?? 0) - 2 * PAD_X),
          { runs: [...amountRuns(flow, line.amount, (columns[3]?.width ?? 0) - 2 * PAD_X), { text: line.amountNote, size: 8.5, color: COLOR.muted }] },
          { runs: line.authority.length ? line.authority.flatMap(authorityRuns) : [{ text: '—' }] },
        ],
      });
    }
  }
  flow.table(columns, rows, { title });
  if (c.totals.length) {
    flow.y -= 2;
    const totals: Column[] = [{ header: '发放周期', width: 70, align: 'center' }, { header: '全家合计', width: 90 }, { header: '明细（元）', width: CONTENT_WIDTH - 160 }];
    flow.table(totals, c.totals.map((t) => ({ cells: [cell(t.period), cell(t.total, { font: 'bold' }), cell(t.breakdown, { size: 9 })] })), {
      title: '合计（现金补助、减免和资助参保；报销比例、上限、平均标准、贷款额度不计入）', level: 2,
    });
  }
}

/** "1001.50 元/人·年" on one line when it fits, else the number and the unit on two lines (a unit is never split). */
function amountRuns(flow: Flow, amount: string, width: number): Run[] {
  const space = amount.indexOf(' ');
  if (space < 0 || flow.fits(amount, width, 'bold')) return [{ text: amount, font: 'bold' }];
  return [{ text: amount.slice(0, space), font: 'bold' }, { text: amount.slice(space + 1), font: 'bold' }];
}

function authorityRuns(a: { department: string; phone: string }): Run[] {
  return [{ text: a.department, size: 9 }, ...(a.phone ? [{ text: `电话 ${a.phone}`, size: 9, color: COLOR.muted }] : [])];
}

function measureSection(flow: Flow, c: MingbaizhiContent): void {
  const required = c.measures.filter((m) => m.mark === '★').length;
  const title = c.measures.length
    ? `${sectionNumber(3)}、帮扶措施（★ 结对帮扶人必须落实 ${required} 项，● 可以提供的帮助 ${c.measures.length - required} 项）`
    : `${sectionNumber(3)}、帮扶措施`;
  if (!c.measures.length) {
    flow.ensure(flow.heading(title) + 20);
    flow.drawHeading(title);
    flow.paragraph({ text: '按现有登记信息，暂无需要结对帮扶人落实的措施。', size: 10 }, { gapAfter: 6 });
    return;
  }
  const columns: Column[] = [
    { header: '标记', width: 30, align: 'center' }, { header: '帮扶措施', width: 202 }, { header: '对象', width: 90 }, { header: '标准及要求', width: CONTENT_WIDTH - 318 },
  ];
  flow.table(columns, c.measures.map((m) => ({
    cells: [
      cell(m.mark, { font: 'bold', color: m.mark === '★' ? COLOR.accent : COLOR.text }),
      { runs: [{ text: m.name, font: 'bold' }, { text: m.benefit, size: 8.5, color: COLOR.muted }] },
      flow.list(m.who, (columns[2]?.width ?? 0) - 2 * PAD_X),
      {
        runs: [
          ...(m.amount !== NO_AMOUNT ? [{ text: `${m.amount}${m.amountNote ? `（${m.amountNote}）` : ''}`, font: 'bold' as const }] : []),
          ...(m.detail ? [{ text: m.detail, size: 9 }] : []),
          ...m.authority.flatMap(authorityRuns),
        ],
      },
    ],
  })), { title });
}

function missingSection(flow: Flow, c: MingbaizhiContent, closingH: number): void {
  const title = `${sectionNumber(4)}、还需补充的信息`;
  const notes = [
    ...(c.missingMore ? [`另有 ${c.missingMore} 项信息待补充，请向帮扶责任人了解。`] : []),
    ...c.conflicts.map((conflict) => `需经办单位确认：${conflict}`),
  ].map((text): Run => ({ text, size: 9, color: COLOR.muted }));
  const notesH = notes.reduce((h, r) => h + flow.heightOf(r, CONTENT_WIDTH) + 2, 0);
  if (c.missing.length) {
    const columns: Column[] = [{ header: '需要补充的信息', width: 170 }, { header: '涉及人员', width: 100 }, { header: '补充后可确定的政策', width: CONTENT_WIDTH - 270 }];
    flow.table(columns, c.missing.map((m) => ({ cells: [
      cell(m.what),
      flow.list(m.who, (columns[1]?.width ?? 0) - 2 * PAD_X),
      flow.list(m.policies, (columns[2]?.width ?? 0) - 2 * PAD_X, { size: 9 }),
    ] })), { title, tail: notesH + closingH });
    flow.y -= 4;
  } else {
    const text: Run = { text: c.conflicts.length ? '' : '无。登记信息已足够测算全部政策。', size: 10 };
    flow.ensure(flow.heading(title) + flow.heightOf(text, CONTENT_WIDTH) + notesH + closingH + 8);
    flow.drawHeading(title);
    if (text.text) flow.paragraph(text, { gapAfter: 6 });
  }
  for (const note of notes) flow.paragraph(note, { gapAfter: 2 });
  flow.y += 6;
}

function closingRuns(c: MingbaizhiContent): Run[] {
  return [
    `测算日期：${c.date}\u3000\u3000政策包：${c.packs.join('；') || '无'}`,
    `依据政策原文：${c.sourceFiles.join('、') || '—'}`,
    '说明：本明白纸根据您家登记的情况测算，实际享受以主管部门审核、发放为准；家庭情况有变化，请及时告诉帮扶责任人。',
  ].map((text) => ({ text, size: 8.5, color: COLOR.muted }));
}

const SIGN_HEIGHT = 40;

function closingHeight(flow: Flow, c: MingbaizhiContent): number {
  return closingRuns(c).reduce((h, r) => h + flow.heightOf(r, CONTENT_WIDTH) + 1, 0) + SIGN_HEIGHT + 20;
}

/** 测算日期, packs, sources, the caveat and the signature lines, kept together on one page. */
function closingBlock(flow: Flow, c: MingbaizhiContent): void {
  const runs = closingRuns(c);
  flow.ensure(closingHeight(flow, c));
  const { doc } = flow;
  flow.y += 2;
  doc.lineWidth(0.5).strokeColor(COLOR.rule).moveTo(MARGIN.left, flow.y).lineTo(PAGE.width - MARGIN.right, flow.y).stroke();
  flow.y += 5;
  for (const r of runs) flow.y += flow.write(r, MARGIN.left, flow.y, CONTENT_WIDTH) + 1;
  flow.y += 10;
  const half = CONTENT_WIDTH / 2;
  for (const [i, label] of ['帮扶责任人签字：', '户主签字：'].entries()) {
    const x = MARGIN.left + i * half;
    flow.use('bold', 10.5);
    doc.text(label, x, flow.y, { lineBreak: false });
    const lx = x + doc.widthOfString(label) + 4;
    doc.lineWidth(0.6).strokeColor(COLOR.rule).moveTo(lx, flow.y + 15).lineTo(x + half - 16, flow.y + 15).stroke();
    flow.use('regular', 10);
    doc.text('日期：\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日', x, flow.y + 24, { lineBreak: false });
  }
  flow.y += SIGN_HEIGHT;
}
