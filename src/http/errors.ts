/** @module The one place where errors become HTTP statuses and Chinese messages with field paths. */
import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError, type DomainErrorCode } from '../core/errors.ts';

const STATUS: Record<DomainErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  unknown_policy: 404,
  conflict: 409,
  unknown_area: 422,
  no_pack_for_area: 422,
  date_outside_period: 422,
  invalid_pack: 500,
  missing_dependency: 503,
};

export interface ErrorBody {
  error: string;
  message: string;
  problems?: { path: string; message: string; row?: number; column?: string }[];
  currentVersion?: number;
}

export function statusOf(error: DomainError): number {
  return STATUS[error.code];
}

export function errorBody(error: DomainError): ErrorBody {
  const details = (error.details ?? {}) as { problems?: ErrorBody['problems']; currentVersion?: number };
  return {
    error: error.code,
    message: error.message,
    ...(details.problems ? { problems: details.problems } : {}),
    ...(details.currentVersion !== undefined ? { currentVersion: details.currentVersion } : {}),
  };
}

/** Fastify's own errors (body parsing, limits) in Chinese. */
function fromFastify(error: FastifyError, bodyLimit: number): { status: number; body: ErrorBody } | null {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, body: { error: 'invalid_json', message: `请求体不是有效的 JSON：${error.message.replace(/^Body is not valid JSON but content-type is set to 'application\/json'/, '').trim() || '无法解析'}` } };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: { error: 'invalid_json', message: '请求体为空，但内容类型为 application/json' } };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: { error: 'payload_too_large', message: `请求体过大（上限 ${Math.round(bodyLimit / 1024)} KB）` } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: { error: 'unsupported_media_type', message: '不支持的内容类型：JSON 接口请用 application/json，Excel 导入请上传 .xlsx 文件' } };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, body: { error: 'invalid_body', message: '请求体长度与 Content-Length 不符' } };
    default:
      break;
  }
  if (error instanceof SyntaxError && error.statusCode === 400) return { status: 400, body: { error: 'invalid_json', message: '请求体不是有效的 JSON' } };
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, body: { error: 'bad_request', message: `请求有误（${error.message}）` } };
  }
  return null;
}

export function installErrorHandler(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) {
      if (error.code === 'invalid_pack') request.log.error(error);
      return reply.status(statusOf(error)).send(errorBody(error));
    }
    const mapped = fromFastify(error, bodyLimit);
    if (mapped) return reply.status(mapped.status).send(mapped.body);
    request.log.error(error);
    return reply.status(500).send({ error: 'internal', message: '服务器内部错误，请稍后重试或联系管理员' } satisfies ErrorBody);
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: 'not_found', message: `接口不存在：${request.method} ${request.url.split('?')[0]}` } satisfies ErrorBody);
  });
}
