/** @module Packs and their policies as Chinese text, and one policy's rules with their quotes (`mingbai explain`). */
import type { CompiledPack, CompiledPolicy, ParameterValue } from '../../core/pack/compile.ts';
import { formatYuan } from '../../core/money.ts';
import { KIND_LABEL, measureMark } from './labels.ts';

export function renderPackList(packs: readonly CompiledPack[]): string {
  const out: string[] = [];
  for (const pack of packs) {
    const m = pack.manifest;
    out.push(`${m.id} v${m.version} · ${m.name}`);
    out.push(`  适用：${m.jurisdiction.province}${m.jurisdiction.city ?? ''} ${m.jurisdiction.counties.join('、')}；有效期 ${m.period.from} 至 ${m.period.to ?? '今'}；来源 ${m.source.file}`);
    for (const p of pack.policies) {
      out.push(`  - ${p.id}  ${measureMark(p.source.measure)}${p.source.name}（${p.source.category}）`);
    }
    out.push('');
  }
  return out.join('\n');
}

export function renderPolicy(policy: CompiledPolicy, pack: CompiledPack): string {
  const s = policy.source;
  const out = [
    `${s.name}（${policy.id}）`,
    `政策包：${pack.manifest.name} v${pack.manifest.version}；章节：${s.section}`,
    `类别：${s.category}；对象：${s.audience}；按${s.subject === 'member' ? '人' : '户'}认定${s.measure ? `；${s.measure === 'required' ? '★ 必须落实' : '● 可选'}措施（${s.actor ?? '结对帮扶人'}）` : ''}`,
    `内容：${s.benefit}${s.frequency ? `（${s.frequency}）` : ''}`,
    `主管部门：${s.authority.map((a) => `${a.department}${a.phone ? ` ${a.phone}` : ''}${a.role ? `（${a.role}）` : ''}`).join('；') || '文件未列明'}`,
    ...(s.basis.length ? ['依据：', ...s.basis.map((b) => `  ${b}`)] : []),
    ...(s.valid ? [`有效期：${s.valid.from ?? '—'} 至 ${s.valid.to ?? '今'}`] : []),
    `原文：“${policy.citation.quote}”（${policy.citation.file}）`,
    '条件（全部满足才可享受）：',
    ...policy.conditions.flatMap((c, i) => [`  ${i + 1}. ${c.label}`, `     规则：${c.expression.source}`, `     原文：“${c.citation.quote}”`]),
  ];
  if (policy.amounts.length) {
    out.push('金额：');
    for (const a of policy.amounts) {
      const value = a.value.type === 'fixed' ? `${formatYuan(a.value.fen)} ${a.unit}`
        : a.value.type === 'percent' ? `${a.value.percent}%（${a.unit}）`
          : a.value.type === 'param' ? `按参数“${a.value.name}”（${a.unit}）` : `按公式 ${a.value.expression.source}（分，${a.unit}）`;
      out.push(`  ${a.when ? `当 ${a.when.source}：` : ''}${value}，${KIND_LABEL[a.kind]}`, `     原文：“${a.citation.quote}”`);
    }
  }
  for (const [name, values] of policy.parameters) {
    out.push(`参数“${name}”按日期：`, ...values.map((v) => `  自 ${v.from}：${describeValue(v)}  原文：“${v.citation.quote}”`));
  }
  for (const e of s.excludedBy ?? []) out.push(`不同时享受：${e.policy}  原文：“${e.quote}”`);
  for (const o of s.overrides ?? []) out.push(`取代：${o.policy}（${o.reason}）`);
  return out.join('\n');
}

function describeValue(v: ParameterValue): string {
  if (v.fen !== null) return `${formatYuan(v.fen)} 元`;
  if (v.percent !== null) return `${v.percent}%`;
  return '停止执行';
}
