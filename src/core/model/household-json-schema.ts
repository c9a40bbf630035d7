/** @module The household input format as JSON Schema, generated from the zod definition (published as docs/household.schema.json). */
import { z } from 'zod';
import { HouseholdSchema } from './household.ts';

export function householdJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(HouseholdSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://mingbai.local/schemas/household.schema.json',
    title: '户数据（mingbai 输入格式）',
    description: '一户家庭及其成员、户类别、收入、住房等事实。身份证号须通过校验码检查；出生日期与性别由身份证号推出。示例见 examples/ 与 docs/household-format.md。',
  };
}
