/** @module What screening returns: a decision per policy per member or household, with its reasons, missing facts and citations. */
import type { Fen } from '../money.ts';
import type { AmountKind, PolicyCategory } from '../pack/format.ts';
import type { SourceCitation } from '../pack/compile.ts';
import type { Period } from './totals.ts';

/**
 * How much of the why to keep. true: every condition's reason. 'decisive': the same, except that an ineligible decision
 * keeps only its first unmet reason (why not, in one line). false: no reasons; a decision stops at its first failed condition.
 */
export type Explain = boolean | 'decisive';

export type DecisionStatus = 'eligible' | 'ineligible' | 'undetermined';

export interface FactUsed { fact: string; label: string; value: string | null }

export interface Reason {
  /** What was checked, in Chinese. */
  label: string;
  /** true = met, false = not met, null = could not be decided. */
  met: boolean | null;
  facts: FactUsed[];
  citation: SourceCitation;
}

export interface MissingFact { fact: string; label: string; input: string }

export interface DecisionAmount {
  fen: Fen | null;
  yuan: string | null;
  percent: number | null;
  unit: string;
  kind: AmountKind;
  /** The period the amount pays for (periodOf(unit)); null for an average or a ceiling, which totals leave out. */
  period: Period | null;
  citation: SourceCitation;
}

export interface Decision {
  policy: string;
  pack: string;
  name: string;
  category: PolicyCategory;
  /** Index into household.members and the member's name; null for a household-level policy. */
  member: { index: number; name: string } | null;
  status: DecisionStatus;
  amount: DecisionAmount | null;
  benefit: string;
  measure: 'required' | 'optional' | null;
  reasons: Reason[];
  missing: MissingFact[];
  citations: SourceCitation[];
}

export interface Conflict {
  slot: string;
  member: { index: number; name: string } | null;
  policies: string[];
  message: string;
}

export interface ScreeningResult {
  household: string;
  date: string;
  packs: { id: string; version: string }[];
  decisions: Decision[];
  conflicts: Conflict[];
}
