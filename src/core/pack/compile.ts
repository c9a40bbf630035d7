/** @module Compiling a pack once: validating its data, type-checking every CEL expression and turning 元 into fen. */
import { DomainError } from '../errors.ts';
import { yuanToFen, type Fen } from '../money.ts';
import { compileExpression, type CompiledExpression } from './cel.ts';
import {
  PackManifestSchema, SectionFileSchema,
  type AmountKind, type AmountSource, type Citation, type DatedValue, type PackManifest, type PackSource, type PolicySource,
} from './format.ts';

export interface SourceCitation { file: string; quote: string }

export interface CompiledCondition {
  label: string;
  expression: CompiledExpression;
  citation: SourceCitation;
}

export interface ParameterValue { from: string; fen: Fen | null; percent: number | null; citation: SourceCitation }

export type AmountValue =
  | { type: 'fixed'; fen: Fen }
  | { type: 'param'; name: string }
  | { type: 'formula'; expression: CompiledExpression }
  | { type: 'percent'; percent: number };

export interface CompiledAmount {
  when: CompiledExpression | null;
  value: AmountValue;
  unit: string;
  kind: AmountKind;
  citation: SourceCitation;
}

export interface CompiledPolicy {
  id: string;
  packId: string;
  source: PolicySource;
  citation: SourceCitation;
  conditions: CompiledCondition[];
  amounts: CompiledAmount[];
  parameters: Map<string, ParameterValue[]>;
}

export interface CompiledPack {
  manifest: PackManifest;
  policies: CompiledPolicy[];
  byId: Map<string, CompiledPolicy>;
}

export function compilePack(source: PackSource): CompiledPack {
  const manifest = parseOrThrow(PackManifestSchema, source.manifest, `pack manifest ${String((source.manifest as { id?: unknown }).id)}`);
  const policies: CompiledPolicy[] = [];
  for (const [i, raw] of source.sections.entries()) {
    const section = parseOrThrow(SectionFileSchema, raw, `${manifest.id} section ${manifest.sections[i] ?? i}`);
    for (const policy of section.policies) policies.push(compilePolicy(manifest, policy));
  }
  const byId = new Map<string, CompiledPolicy>();
  for (const p of policies) {
    if (byId.has(p.id)) throw new DomainError('invalid_pack', `政策包 ${manifest.id} 中政策编号重复：${p.id}`);
    byId.set(p.id, p);
  }
  return { manifest, policies, byId };
}

function compilePolicy(manifest: PackManifest, policy: PolicySource): CompiledPolicy {
  const where = `${manifest.id}/${policy.id}`;
  const cite = (c: Citation): SourceCitation => ({ file: c.file ?? manifest.source.file, quote: c.quote });
  const parameters = new Map<string, ParameterValue[]>();
  for (const [name, values] of Object.entries(policy.parameters ?? {})) {
    parameters.set(name, [...values].sort((a, b) => a.from.localeCompare(b.from)).map((v) => compileDatedValue(v, cite, `${where}.parameters.${name}`)));
  }
  const amounts = (policy.amount ?? []).map((a, i) => compileAmount(a, cite, parameters, `${where}.amount[${i}]`));
  return {
    id: policy.id,
    packId: manifest.id,
    source: policy,
    citation: cite(policy),
    conditions: policy.conditions.map((c, i) => ({
      label: c.label,
      expression: compileExpression(c.when, 'bool', `${where}.conditions[${i}]`),
      citation: cite(c),
    })),
    amounts,
    parameters,
  };
}

function compileDatedValue(v: DatedValue, cite: (c: Citation) => SourceCitation, where: string): ParameterValue {
  if (v.yuan !== undefined && v.percent !== undefined) throw new DomainError('invalid_pack', `${where}: give yuan or percent, not both`);
  return {
    from: v.from,
    fen: v.yuan == null ? null : toFen(v.yuan, where),
    percent: v.percent ?? null,
    citation: cite(v),
  };
}

function compileAmount(a: AmountSource, cite: (c: Citation) => SourceCitation, parameters: Map<string, ParameterValue[]>, where: string): CompiledAmount {
  let value: AmountValue;
  if (a.yuan !== undefined) value = { type: 'fixed', fen: toFen(a.yuan, where) };
  else if (a.param !== undefined) {
    if (!parameters.has(a.param)) throw new DomainError('invalid_pack', `${where}: unknown parameter ${a.param}`);
    value = { type: 'param', name: a.param };
  } else if (a.formulaFen !== undefined) value = { type: 'formula', expression: compileExpression(a.formulaFen, 'int', where) };
  else value = { type: 'percent', percent: a.percent ?? 0 };
  return {
    when: a.when === undefined ? null : compileExpression(a.when, 'bool', `${where}.when`),
    value,
    unit: a.unit,
    kind: a.kind,
    citation: cite(a),
  };
}

function toFen(yuan: string, where: string): Fen {
  try {
    return yuanToFen(yuan);
  } catch {
    throw new DomainError('invalid_pack', `${where}: amount ${yuan} is not in 元 with at most two decimals`);
  }
}

function parseOrThrow<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const detail = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new DomainError('invalid_pack', `${where}: ${detail}`);
}

/** The value of a dated parameter on a date: the last entry that started on or before it, or undefined before the first. */
export function parameterOn(values: ParameterValue[], date: string): ParameterValue | undefined {
  let found: ParameterValue | undefined;
  for (const v of values) if (v.from <= date) found = v;
  return found;
}
