/**
 * @module exceljs's streaming WorkbookReader, made safe for Chinese text. exceljs decodes every chunk of a zip entry on its
 * own (utils/parse-sax.js), so a character whose UTF-8 bytes straddle two chunks turns into “��” — in a sheet of Chinese
 * names that happens every few thousand rows. Here each entry reaches exceljs in chunks that end on a character boundary.
 */
import { Transform, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';

/** Length of the longest prefix of `b` that ends on a UTF-8 character boundary. */
export function utf8Complete(b: Uint8Array): number {
  let i = b.length - 1;
  const stop = Math.max(0, b.length - 4);
  while (i >= stop && ((b[i] as number) & 0xc0) === 0x80) i--;
  if (i < 0 || i < stop) return b.length;
  const lead = b[i] as number;
  const size = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return i + size > b.length ? i : b.length;
}

/** Re-chunks a byte stream so no chunk ends inside a character. */
export class Utf8Boundary extends Transform {
  private rest: Buffer = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null, data?: Buffer) => void): void {
    const b = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    const n = utf8Complete(b);
    this.rest = b.subarray(n);
    callback(null, n > 0 ? b.subarray(0, n) : undefined);
  }

  override _flush(callback: (error?: Error | null, data?: Buffer) => void): void {
    callback(null, this.rest.length > 0 ? this.rest : undefined);
  }
}

export async function* utf8Chunks(source: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer | string> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of source) {
    if (typeof chunk === 'string') {
      yield chunk;
      continue;
    }
    const b = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    const n = utf8Complete(b);
    rest = b.subarray(n);
    if (n > 0) yield b.subarray(0, n);
  }
  if (rest.length > 0) yield rest;
}

/** The internal steps of WorkbookReader.parse() that read a zip entry (exceljs 4.4, lib/stream/xlsx/workbook-reader.js). */
interface ReaderInternals {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
  _parseHyperlinks(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
}

const Base = ExcelJS.stream.xlsx.WorkbookReader as unknown as new (input: Readable | string, options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>) => ExcelJS.stream.xlsx.WorkbookReader & ReaderInternals;

const safe = (entry: Readable) => entry.pipe(new Utf8Boundary());

export class SafeWorkbookReader extends Base {
  override _parseRels(entry: Readable) {
    return super._parseRels(safe(entry));
  }

  override _parseWorkbook(entry: Readable) {
    return super._parseWorkbook(safe(entry));
  }

  override _parseStyles(entry: Readable) {
    return super._parseStyles(safe(entry));
  }

  override _parseSharedStrings(entry: Readable) {
    return super._parseSharedStrings(safe(entry));
  }

  override _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string) {
    return super._parseWorksheet(utf8Chunks(iterator), sheetNo);
  }

  override _parseHyperlinks(iterator: AsyncIterable<Buffer | string>, sheetNo: string) {
    return super._parseHyperlinks(utf8Chunks(iterator), sheetNo);
  }
}
