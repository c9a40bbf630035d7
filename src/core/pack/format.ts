/** @module The policy-pack format: what a pack file holds, as a zod definition that validates pack data and types it. */
import { z } from 'zod';
import { isRealDate } from '../model/id-card.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine(isRealDate, 'not a real date');
/** Amounts are written in 元 ("83.34" or 1000) so the pack reads like the document; they become fen on load. */
const yuanText = z.union([z.number(), z.string()]).transform((v) => String(v));

export const POLICY_CATEGORIES = ['医疗', '教育', '住房', '饮水', '就业', '产业', '金融', '社会救助', '养老', '残疾', '消费', '生态', '旅游', '志智'] as const;

/** Where a rule comes from: the seed file and a short verbatim quote from it. */
export const CitationSchema = z.strictObject({
  quote: z.string().min(4),
  /** Defaults to the pack's source file. */
  file: z.string().optional(),
});

export const ConditionSchema = z.strictObject({
  /** What the condition means, in Chinese, as a policy officer would say it. */
  label: z.string().min(2),
  /** A CEL expression over `member`, `household`, `local`, `date` and `year` that yields a bool. */
  when: z.string().min(1),
  ...CitationSchema.shape,
});

/** One dated value of a parameter; `yuan: null` or `percent: null` means the policy stops from that date. */
export const DatedValueSchema = z.strictObject({
  from: isoDate,
  yuan: yuanText.nullable().optional(),
  percent: z.number().min(0).max(1000).nullable().optional(),
  ...CitationSchema.shape,
});

export const AMOUNT_KINDS = ['cash', 'waiver', 'premium', 'in_kind', 'cap', 'rate', 'loan'] as const;

/** One way to state an amount: a fixed sum, a dated parameter, or a CEL formula in fen; with a `when` it is one row of a table. */
export const AmountSchema = z.strictObject({
  when: z.string().optional(),
  yuan: yuanText.optional(),
  param: z.string().optional(),
  /** CEL expression yielding an int number of fen, for amounts computed from facts (e.g. 2 × 低保标准). */
  formulaFen: z.string().optional(),
  percent: z.number().min(0).max(1000).optional(),
  unit: z.string().min(1),
  /**
   * cash = paid to the person; waiver = a fee not charged; premium = insurance paid on their behalf;
   * in_kind = spent for the household by others or paid to a business (环境整治资金, 岗位补贴 to an employer);
   * cap = a ceiling (loan size, reimbursement limit); rate = a percentage; loan = a loan amount.
   * Only cash, waiver and premium add up in a household's totals.
   */
  kind: z.enum(AMOUNT_KINDS).default('cash'),
  ...CitationSchema.shape,
}).refine((a) => [a.yuan, a.param, a.formulaFen, a.percent].filter((v) => v !== undefined).length === 1, {
  message: 'an amount needs exactly one of yuan, param, formulaFen, percent',
});

export const AuthoritySchema = z.strictObject({
  department: z.string().min(2),
  phone: z.string().optional(),
  role: z.string().optional(),
});

export const PolicySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9_.-]+$/, 'ids are lower-case ascii with . _ -'),
  name: z.string().min(2),
  category: z.enum(POLICY_CATEGORIES),
  /** The heading of the document section the policy sits under, e.g. "二、教育资助政策 / 3.初中阶段". */
  section: z.string().min(2),
  authority: z.array(AuthoritySchema).default([]),
  /** 依据: document titles with 文号. */
  basis: z.array(z.string()).default([]),
  /** Who it is for, in plain words. */
  audience: z.string().min(2),
  subject: z.enum(['member', 'household']),
  /** For the helper's 明白纸 (001): ★ required / ● optional measures. */
  measure: z.enum(['required', 'optional']).optional(),
  /** Who must act (e.g. 结对帮扶人) when the policy is a measure rather than an entitlement. */
  actor: z.string().optional(),
  /** What the measure requires and how often, e.g. 每年3次岗位信息推送. */
  frequency: z.string().optional(),
  valid: z.strictObject({ from: isoDate.optional(), to: isoDate.nullable().optional() }).optional(),
  /** What the household gets, in plain words for the 明白纸. */
  benefit: z.string().min(2),
  conditions: z.array(ConditionSchema).min(1),
  amount: z.array(AmountSchema).optional(),
  parameters: z.record(z.string(), z.array(DatedValueSchema).min(1)).optional(),
  /** Not paid together with these policies: if one of them is eligible for the same subject, this one is not. */
  excludedBy: z.array(z.strictObject({ policy: z.string(), ...CitationSchema.shape })).optional(),
  /** This policy replaces those for the same subject when both are eligible (a local rule over a general one). */
  overrides: z.array(z.strictObject({ policy: z.string(), reason: z.string() })).optional(),
  /** Policies that pay for the same need share a slot; two eligible ones in one slot without an override are a conflict. */
  slot: z.string().optional(),
  /** The quote that states the policy as a whole. */
  ...CitationSchema.shape,
});

export const SectionFileSchema = z.strictObject({
  section: z.string(),
  policies: z.array(PolicySchema),
});

export const PackManifestSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  name: z.string(),
  /** The seed file this pack encodes. */
  source: z.strictObject({ file: z.string(), title: z.string(), issuer: z.string(), year: z.string() }),
  jurisdiction: z.strictObject({
    province: z.string(),
    city: z.string().optional(),
    /** 区县 names a household's area.county must match; `*` serves any county of the province. */
    counties: z.array(z.string()).min(1),
  }),
  period: z.strictObject({ from: isoDate, to: isoDate.nullable() }),
  /** Why the period is what it is: the document rarely says; the pack must. */
  periodNote: z.string(),
  /** Section files in document order. */
  sections: z.array(z.string()).min(1),
});

export type Citation = z.infer<typeof CitationSchema>;
export type ConditionSource = z.infer<typeof ConditionSchema>;
export type AmountSource = z.infer<typeof AmountSchema>;
export type DatedValue = z.infer<typeof DatedValueSchema>;
export type PolicySource = z.infer<typeof PolicySchema>;
export type PackManifest = z.infer<typeof PackManifestSchema>;
export type SectionFile = z.infer<typeof SectionFileSchema>;
export type PolicyCategory = (typeof POLICY_CATEGORIES)[number];
export type AmountKind = (typeof AMOUNT_KINDS)[number];

/** A pack as read from its files, before compilation. */
export interface PackSource {
  manifest: PackManifest;
  sections: SectionFile[];
}
