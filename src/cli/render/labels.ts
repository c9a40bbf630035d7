/** @module Chinese words for statuses, amount kinds and amounts, shared by every text the CLI prints. */
import type { Decision, DecisionAmount, DecisionStatus } from '../../core/evaluator/decision.ts';
import type { AmountKind } from '../../core/pack/format.ts';

export const STATUS_LABEL: Record<DecisionStatus, string> = { eligible: '可以享受', ineligible: '不能享受', undetermined: '待定' };

export const KIND_LABEL: Record<AmountKind, string> = {
  cash: '补助', waiver: '减免', premium: '代缴/资助参保', in_kind: '统筹使用/补给单位', cap: '上限', rate: '比例', loan: '贷款额度',
};

export function formatAmount(amount: DecisionAmount | null): string {
  if (!amount) return '—';
  const value = amount.yuan !== null ? `${amount.yuan} ${amount.unit}` : `${amount.percent ?? '?'}${amount.unit.startsWith('%') ? '' : ' '}${amount.unit}`;
  return amount.kind === 'cash' || amount.kind === 'rate' ? value : `${value}（${KIND_LABEL[amount.kind]}）`;
}

export function subjectName(d: Decision): string {
  return d.member ? d.member.name : '全户';
}

export function measureMark(measure: Decision['measure'] | undefined): string {
  return measure === 'required' ? '★' : measure === 'optional' ? '●' : '';
}
