/**
 * @module Import jobs for large Excel files: POST /imports streams the upload to a temporary file and answers 202 with a job id
 * at once; GET /imports/:id gives the progress (rows read, checked, written) and then the result or every problem by row and
 * column. The synchronous POST /excel/import stays for small files.
 */
import { createWriteStream, rmSync } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requirePermission } from '../../auth/roles.ts';
import { DomainError } from '../../core/errors.ts';
import { ImportJobs } from '../../excel/jobs.ts';
import { actorOf, type AppContext } from '../app.ts';
import { ErrorSchema, errors, ImportJobParams, ImportJobSchema } from '../schemas.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const tags = ['Excel'];
/** Jobs take files this many times larger than the synchronous route (200 MB by default). */
export const JOB_LIMIT_FACTOR = 10;
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

class UploadTooLarge extends Error {}
class NotZip extends Error {}

/** Passes bytes through up to `limit`; checks that the file starts like an .xlsx (zip) file. */
function guard(limit: number, onBytes: (n: number) => void): Transform {
  let seen = 0;
  let head = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      onBytes(chunk.length);
      if (seen > limit) return callback(new UploadTooLarge());
      if (head.length < 4) {
        head = Buffer.concat([head, chunk]).subarray(0, 4);
        if (head.length === 4 && !head.equals(ZIP_MAGIC)) return callback(new NotZip());
      }
      return callback(null, chunk);
    },
    flush(callback) {
      callback(head.length < 4 ? new NotZip() : null);
    },
  });
}

export async function importRoutes(app: FastifyInstance, { db, excelLimit }: AppContext): Promise<void> {
  const jobs = new ImportJobs(db, (error) => app.log.error(error));
  app.addHook('onClose', async () => jobs.close());
  const limit = excelLimit * JOB_LIMIT_FACTOR;

  await app.register(async (scoped) => {
    // Here the upload is not buffered: the handler streams it to disk.
    for (const type of [XLSX, 'application/octet-stream']) if (scoped.hasContentTypeParser(type)) scoped.removeContentTypeParser(type);
    scoped.addContentTypeParser([XLSX, 'application/octet-stream'], (_request, payload, done) => done(null, payload));

    scoped.post('/imports', {
      schema: {
        tags, summary: `提交导入任务（请求体为 .xlsx 文件内容，上限 ${Math.round(limit / 1048576)} MB）：立即返回任务编号，之后用 GET /api/imports/{id} 查询进度与结果`,
        consumes: [XLSX, 'application/octet-stream'],
        response: { 202: ImportJobSchema, 413: ErrorSchema, ...errors(400, 401, 403, 415) },
      },
    }, async (request, reply) => {
      const actor = actorOf(request);
      requirePermission(actor, 'import');
      const body = request.body as Readable | undefined;
      if (!body || typeof (body as Readable).pipe !== 'function') throw new DomainError('invalid_input', `请以 ${XLSX} 内容类型上传 .xlsx 文件`);
      const declared = Number(request.headers['content-length'] ?? 0);
      const tooLarge = { error: 'payload_too_large', message: `文件过大（上限 ${Math.round(limit / 1048576)} MB），请分成几个文件导入` };
      if (declared > limit) {
        body.resume();
        return reply.status(413).header('connection', 'close').send(tooLarge);
      }
      const file = jobs.uploadPath();
      let bytes = 0;
      try {
        await pipeline(body, guard(limit, (n) => {
          bytes += n;
        }), createWriteStream(file));
      } catch (error) {
        rmSync(file, { force: true });
        if (error instanceof UploadTooLarge) return reply.status(413).header('connection', 'close').send(tooLarge);
        if (error instanceof NotZip) throw new DomainError('invalid_input', '无法读取文件：请上传 .xlsx 格式的 Excel 文件（可先下载导入模板）', { problems: [{ row: 0, column: '', path: '', message: '不是有效的 .xlsx 文件' }] });
        throw error;
      }
      const job = jobs.submit(actor, file, bytes);
      return reply.status(202).header('location', `/api/imports/${job.id}`).send(job);
    });
  });

  app.get('/imports/:id', {
    schema: { tags, summary: '导入任务的进度（已读取、已检查、已写入的行数），完成后为结果或每处问题的行号、列名与原因', params: ImportJobParams, response: { 200: ImportJobSchema, ...errors(401, 404) } },
  }, async (request) => jobs.get(actorOf(request), (request.params as z.infer<typeof ImportJobParams>).id));
}
