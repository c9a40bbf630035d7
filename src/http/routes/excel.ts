/** @module Excel routes: the import template, validated all-or-nothing import, export of households and screening results. */
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { DomainError } from '../../core/errors.ts';
import { exportHouseholds, exportScreenings, importTemplate } from '../../excel/export.ts';
import { importWorkbook } from '../../excel/import.ts';
import { actorOf, type AppContext } from '../app.ts';
import { errors, ImportResponse } from '../schemas.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const tags = ['Excel'];
const file = z.any().meta({ type: 'string', format: 'binary', description: '.xlsx 文件' });

function sendXlsx(reply: FastifyReply, name: string, body: Buffer | Readable) {
  return reply.header('content-type', XLSX).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`).send(body);
}

export async function excelRoutes(app: FastifyInstance, { db, excelLimit }: AppContext): Promise<void> {
  app.addContentTypeParser([XLSX, 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: excelLimit }, (_request, body, done) => done(null, body));

  app.get('/excel/template', { schema: { tags, summary: '下载导入模板（中文表头、填写说明）', response: { 200: file, ...errors(401) } } }, async (request, reply) => {
    actorOf(request);
    return sendXlsx(reply, '户信息导入模板.xlsx', await importTemplate());
  });

  app.post('/excel/import', {
    bodyLimit: excelLimit,
    schema: {
      tags, summary: '导入 Excel（请求体为 .xlsx 文件内容）：全部行无误才写入，否则返回每处问题的行号、列名与原因；按身份证号识别已登记的户，可重复导入',
      consumes: [XLSX, 'application/octet-stream'], response: { 200: ImportResponse, ...errors(400, 401, 403, 409, 413, 422) },
    },
  }, async (request) => {
    const body = request.body;
    if (!Buffer.isBuffer(body)) throw new DomainError('invalid_input', `请以 ${XLSX} 内容类型上传 .xlsx 文件`);
    return importWorkbook(db, actorOf(request), body);
  });

  app.get('/export/households.xlsx', { schema: { tags, summary: '导出本辖区的户与成员（身份证号脱敏）', response: { 200: file, ...errors(401, 403) } } }, async (request, reply) => (
    sendXlsx(reply, '户信息.xlsx', await exportHouseholds(db, actorOf(request)))));

  app.get('/export/screenings.xlsx', { schema: { tags, summary: '导出本辖区各户最近一次测算：可享受政策、金额、按政策合计', response: { 200: file, ...errors(401, 403) } } }, async (request, reply) => (
    sendXlsx(reply, '测算结果.xlsx', await exportScreenings(db, actorOf(request)))));
}
