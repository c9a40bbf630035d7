/** @module Coverage as text for the terminal and as Markdown for docs/coverage.md. */
import type { SeedCoverage } from '../../packs/coverage.ts';

const KIND = { encoded: '已编码', not_encodable: '不编码', heading: '标题', metadata: '主管部门/依据', uncovered: '未覆盖' } as const;

export function renderCoverage(seeds: SeedCoverage[], markdown: boolean): string {
  const out: string[] = markdown ? ['# 政策原文覆盖情况', '', '由 `npm run coverage-doc` 生成。每一段原文：由哪条规则编码，或为何不编码。', ''] : [];
  for (const seed of seeds) {
    const counts = Object.fromEntries(Object.keys(KIND).map((k) => [k, seed.paragraphs.filter((p) => p.status.kind === k).length]));
    const head = `${seed.file} · ${seed.pack ?? '尚无政策包'} · 已编码 ${counts.encoded} 段，主管部门/依据 ${counts.metadata} 段，不编码 ${counts.not_encodable} 段，标题 ${counts.heading} 段，未覆盖 ${counts.uncovered} 段`;
    out.push(markdown ? `## ${head}` : head, '');
    for (const p of seed.paragraphs) {
      if (p.status.kind === 'heading') continue;
      const text = p.text.length > 70 ? `${p.text.slice(0, 70)}…` : p.text;
      const what = p.status.kind === 'encoded' || p.status.kind === 'metadata' ? p.status.policies.join(', ')
        : p.status.kind === 'not_encodable' ? p.status.reason : '';
      out.push(markdown ? `- 第${p.line}行 **${KIND[p.status.kind]}** ${what ? `（${what}）` : ''}：${text.replace(/[|*_]/g, ' ')}` : `  [${KIND[p.status.kind]}] 第${p.line}行 ${text}${what ? `\n      → ${what}` : ''}`);
    }
    out.push('');
  }
  return out.join('\n');
}
