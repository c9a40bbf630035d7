/** @module Fastify speaks zod: request parts are parsed by their zod schema, responses are parsed (unknown fields dropped) before sending, and OpenAPI gets the JSON Schema. */
import type { FastifyInstance, FastifySchema } from 'fastify';
import { z } from 'zod';
import { DomainError } from '../core/errors.ts';
import { formatPath } from '../core/model/validate.ts';

const PART_NAMES: Record<string, string> = { body: '请求体', querystring: '查询参数', params: '路径参数', headers: '请求头' };

function isZod(schema: unknown): schema is z.ZodType {
  return !!schema && typeof schema === 'object' && 'safeParse' in schema;
}

function problemsOf(error: z.ZodError, part: string) {
  return error.issues.map((issue) => {
    const path = formatPath(issue.path);
    const message = issue.code === 'unrecognized_keys' ? `无法识别的字段：${issue.keys.join('、')}` : issue.message;
    return { path: part === 'body' ? path : path ? `${part}.${path}` : part, message };
  });
}

export function useZod(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const part = httpPart ?? 'body';
    return (data: unknown) => {
      if (!isZod(schema)) return { value: data };
      const result = schema.safeParse(data);
      if (result.success) return { value: result.data };
      const problems = problemsOf(result.error, part);
      const first = problems[0];
      return { error: new DomainError('invalid_input', `${PART_NAMES[part] ?? part}有误：${first?.path ? `${first.path}：` : ''}${first?.message ?? ''}`, { problems }) };
    };
  });
  app.setSerializerCompiler(({ schema }) => (data: unknown) => JSON.stringify(isZod(schema) ? schema.parse(data) : data));
}

/** For @fastify/swagger: every zod schema of a route becomes JSON Schema; query and params are split into properties. */
export function toOpenApi({ schema, url }: { schema: FastifySchema; url: string }): { schema: FastifySchema; url: string } {
  if (!schema) return { schema, url };
  const convert = (s: unknown, io: 'input' | 'output') => (isZod(s) ? z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-7' }) : s);
  const out: Record<string, unknown> = { ...schema };
  for (const part of ['body', 'querystring', 'params', 'headers'] as const) {
    if (schema[part]) out[part] = convert(schema[part], 'input');
  }
  if (schema.response) {
    out.response = Object.fromEntries(Object.entries(schema.response as Record<string, unknown>).map(([code, s]) => [code, convert(s, 'output')]));
  }
  return { schema: out as FastifySchema, url };
}
