import { createRequire } from 'node:module';
import type { z as Zod } from 'zod';
import { DOMAINS, FACT_NAME } from '../facts/schema.js';

/*
 * The shape of a rule file. Only validating rule files needs the schemas, and zod takes
 * longer to load than a whole diagnosis of a small log: they are built on first use
 * (ruleSchemas()), and a run that uses the validated, cached rules never loads zod.
 */

const OPS = [
  'exists', // two-valued: is there any observation of the fact (never unknown)
  'eq',
  'ne',
  'in',
  'notIn', // no observation is in the list
  'someNotIn', // at least one observation is outside the list
  'allIn', // every observation is in the list
  'gt',
  'gte',
  'lt',
  'lte',
  'matches',
  'startsWith',
  'notStartsWith',
  'contains',
  'sameAs', // fact vs fact: the observed values share one (hex compared case-insensitively)
  'differsFrom', // fact vs fact: no value in common
] as const;
const OUTCOMES = ['confirms', 'suggests', 'rules_out'] as const;
const ANSWER_TYPES = ['yesno', 'choice', 'value', 'time'] as const;
export const PARAMETERS = ['push_answer_window_seconds', 'magic_recheck_hours', 'enrollment_race_seconds'] as const;
export type ParameterName = (typeof PARAMETERS)[number];

/**
 * A fact in a rule's or note's text: {{fact.name}}, or {{fact.name[key=value]}} for only the observations
 * whose attrs carry that value. Capture groups: name, key, value.
 */
export const TEMPLATE_FIELD = /\{\{\s*([a-z0-9_.]+)(?:\[([a-z_]+)=([^\]\s]+)\])?\s*\}\}/g;

export type Condition = Leaf | { all: Condition[]; says?: string } | { any: Condition[]; says?: string } | { not: Condition; says?: string };

function buildLeaf(z: typeof Zod) {
  const FactValueSchema = z.union([z.string(), z.number(), z.boolean()]);
  const FactName = z.string().regex(FACT_NAME, 'a fact name such as device.push_magic');
  const LeafSchema = z
    .object({
      fact: FactName,
      op: z.enum(OPS),
      value: z.union([FactValueSchema, z.array(FactValueSchema)]).optional(),
      other: FactName.optional(),
      /** Only observations whose attrs carry these values take part. */
      attrs: z.record(z.string(), z.string()).optional(),
      /** How the condition reads in a trace, e.g. "the server's topic differs from the device's". */
      says: z.string().optional(),
    })
    .strict()
    .superRefine((leaf, ctx) => {
      const needsOther = leaf.op === 'sameAs' || leaf.op === 'differsFrom';
      if (needsOther && !leaf.other) ctx.addIssue({ code: 'custom', message: `op ${leaf.op} needs "other" (a fact name)` });
      if (!needsOther && leaf.other) ctx.addIssue({ code: 'custom', message: `op ${leaf.op} does not take "other"` });
      const needsValue = !needsOther && leaf.op !== 'exists';
      if (needsValue && leaf.value === undefined) ctx.addIssue({ code: 'custom', message: `op ${leaf.op} needs a "value"` });
      if (['in', 'notIn', 'someNotIn', 'allIn'].includes(leaf.op) && !Array.isArray(leaf.value))
        ctx.addIssue({ code: 'custom', message: `op ${leaf.op} needs a list as "value"` });
      if (leaf.op === 'matches' && typeof leaf.value === 'string') {
        try {
          new RegExp(leaf.value);
        } catch (e) {
          ctx.addIssue({ code: 'custom', message: `"value" is not a valid regular expression: ${(e as Error).message}` });
        }
      }
    });
  return LeafSchema;
}

function build(z: typeof Zod) {
  const FactValueSchema = z.union([z.string(), z.number(), z.boolean()]);
  const FactName = z.string().regex(FACT_NAME, 'a fact name such as device.push_magic');
  const LeafSchema = buildLeaf(z);

  const SourceRefSchema = z
    .object({
      /** A file name from shared/seeds (e.g. 000_1e36ff1c9c5c99cd.txt) or another named public document. */
      document: z.string().min(1),
      section: z.string().min(1),
      /** Optional note, e.g. "the document is cut off before its iOS list". */
      note: z.string().optional(),
    })
    .strict();

  const ConditionSchema: Zod.ZodType<Condition> = z.lazy(() =>
    z.union([
      z.object({ all: z.array(ConditionSchema).min(1), says: z.string().optional() }).strict(),
      z.object({ any: z.array(ConditionSchema).min(1), says: z.string().optional() }).strict(),
      z.object({ not: ConditionSchema, says: z.string().optional() }).strict(),
      LeafSchema,
    ]),
  );

  const Id = z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, 'a dotted lower-case id such as mdm.wrong_magic');
  const QuestionId = z.string().regex(/^q\.[a-z0-9_.]+$/, 'a question id starting with "q."');

  const CauseSchema = z
    .object({
      id: Id,
      domain: z.enum(DOMAINS),
      title: z.string().min(1),
      /** What the cause is, in a sentence or two of our own. */
      summary: z.string().min(1),
      source: SourceRefSchema,
    })
    .strict();

  const RuleSchema = z
    .object({
      id: Id,
      cause: Id,
      outcome: z.enum(OUTCOMES),
      source: SourceRefSchema,
      when: ConditionSchema,
      /** One sentence, templated with {{fact.name}}, saying why the outcome holds. */
      because: z.string().min(1),
      nextSteps: z.array(z.string().min(1)).default([]),
      /** Questions that would settle this rule when facts are missing. */
      questions: z.array(QuestionId).default([]),
    })
    .strict();

  const QuestionSchema = z
    .object({
      id: QuestionId,
      text: z.string().min(1),
      /** Why we ask, shown under the question. */
      help: z.string().optional(),
      type: z.enum(ANSWER_TYPES),
      options: z.array(z.object({ value: z.string().min(1), label: z.string().min(1) }).strict()).optional(),
      /** For type "value": the answer must match this (after trimming). */
      pattern: z.string().optional(),
      /**
       * For type "value": normalise the answer first ("hex" strips spaces and <>, lower-cases; "token" also
       * accepts base64; "zone" turns "UTC+2", "+0200", "Europe/Berlin" into "+02:00" or the IANA name).
       */
      normalize: z.enum(['none', 'hex', 'token', 'zone', 'device']).default('none'),
      /** The fact an answer sets. */
      sets: FactName,
      /** For choice answers: map an option to a fact value (default: the option's value). */
      map: z.record(z.string(), FactValueSchema).optional(),
      /** Only ask when a domain of the case is one of these. */
      domains: z.array(z.enum(DOMAINS)).optional(),
      /** Ask first, whenever this holds and the question is unanswered. */
      askWhen: ConditionSchema.optional(),
      /**
       * With askWhen: the condition only says when the question may be asked; it then ranks with the others by
       * the causes it settles (the rules that list it). For a question that matters through one cause or two
       * (the reference time for expiry dates), not a gate every other question waits behind.
       */
      ranked: z.boolean().optional(),
      /** Facts that answer the question as well as `sets` does: while one is observed, it is not asked. */
      settledBy: z.array(FactName).optional(),
    })
    .strict()
    .superRefine((q, ctx) => {
      if (q.type === 'choice' && (!q.options || q.options.length < 2))
        ctx.addIssue({ code: 'custom', message: 'a choice question needs at least two options' });
      if (q.pattern) {
        try {
          new RegExp(q.pattern);
        } catch (e) {
          ctx.addIssue({ code: 'custom', message: `"pattern" is not a valid regular expression: ${(e as Error).message}` });
        }
      }
    });

  /**
   * Something the report should tell the reader that is not a cause: e.g.
   * "the logs are redacted, install the logging profiles". Shown when `when` holds.
   */
  const AdvisorySchema = z
    .object({
      id: Id,
      /** Only shown when this domain is relevant (omit for any case). */
      domain: z.enum(DOMAINS).optional(),
      source: SourceRefSchema,
      when: ConditionSchema,
      /** One or two sentences, templated with {{fact.name}}. */
      text: z.string().min(1),
      /** When this note holds there is nothing to file with Apple, even if every cause is ruled out. */
      noEscalation: z.boolean().default(false),
      /**
       * The kinds of push whose filing the note holds back: the arrived push was of that kind, and says
       * nothing of another kind's failures beside it. Default: the note's domain, or every kind when it has none.
       */
      noEscalationFor: z.array(z.enum(DOMAINS)).optional(),
    })
    .strict();

  /**
   * A number the derivations need (how soon an answer must follow a push, the
   * 25-hour PushMagic re-check, the enrollment race window). Numbers that
   * decide verdicts are data with a source, like rules.
   */
  const ParameterSchema = z
    .object({
      value: z.number().positive(),
      /** What the number is, in a sentence. */
      says: z.string().min(1),
      source: SourceRefSchema,
    })
    .strict();

  const ParametersSchema = z
    .object(Object.fromEntries(PARAMETERS.map((p) => [p, ParameterSchema.optional()])) as Record<ParameterName, Zod.ZodOptional<typeof ParameterSchema>>)
    .strict();

  /** One item of the Feedback collection checklist: ticked only while its condition holds. */
  const ChecklistItemSchema = z
    .object({
      id: Id,
      item: z.string().min(1),
      when: ConditionSchema,
      /** Only for cases of these domains (default: every escalating domain). */
      domains: z.array(z.enum(DOMAINS)).optional(),
      /** What to do while it is not ticked: the first entry whose `when` holds (or that has none), templated with {{fact.name}}. */
      todo: z.array(z.object({ when: ConditionSchema.optional(), text: z.string().min(1) }).strict()).default([]),
    })
    .strict();

  /**
   * When a case is one for Apple, and what Apple asks for. The draft is only
   * offered when every cause of an escalating domain is ruled out and `failedPush`
   * holds (a push the device did not answer, with APNs's answer to it); otherwise
   * the report lists `collect`.
   */
  const EscalationSchema = z
    .object({
      source: SourceRefSchema,
      /** Domains whose documents end in "file Feedback with Apple" once every known cause is ruled out. */
      domains: z.array(z.enum(DOMAINS)).min(1),
      /** A failed push on record, per domain: the draft needs one. */
      failedPush: z.partialRecord(z.enum(DOMAINS), ConditionSchema),
      /** What to collect before filing when no failed push is on record (templated). */
      collect: z.array(z.string().min(1)).min(1),
      checklist: z.array(ChecklistItemSchema).min(1),
    })
    .strict();

  /** One file under rules/: any of its sections may be absent. */
  const RuleFileSchema = z
    .object({
      causes: z.array(CauseSchema).default([]),
      rules: z.array(RuleSchema).default([]),
      questions: z.array(QuestionSchema).default([]),
      advisories: z.array(AdvisorySchema).default([]),
      parameters: ParametersSchema.optional(),
      escalation: EscalationSchema.optional(),
      /** Named lists other parts of the file point at with YAML anchors (e.g. exempt commands). */
      data: z.record(z.string(), z.unknown()).optional(),
    })
    .strict();
  return {
    LeafSchema,
    AdvisorySchema,
    CauseSchema,
    ChecklistItemSchema,
    ConditionSchema,
    EscalationSchema,
    ParameterSchema,
    ParametersSchema,
    QuestionSchema,
    RuleFileSchema,
    RuleSchema,
    SourceRefSchema,
  };
}

type Schemas = ReturnType<typeof build>;
let built: Schemas | undefined;

/** The zod schemas of a rule file, built (and zod loaded) the first time something is validated. */
export function ruleSchemas(): Schemas {
  built ??= build((createRequire(import.meta.url)('zod') as typeof import('zod')).z);
  return built;
}

export type Leaf = Zod.infer<ReturnType<typeof buildLeaf>>;
export type SourceRef = Zod.infer<Schemas['SourceRefSchema']>;
export type Cause = Zod.infer<Schemas['CauseSchema']>;
export type Rule = Zod.infer<Schemas['RuleSchema']>;
export type Question = Zod.infer<Schemas['QuestionSchema']>;
export type Advisory = Zod.infer<Schemas['AdvisorySchema']>;
export type Parameter = Zod.infer<Schemas['ParameterSchema']>;
export type ChecklistItem = Zod.infer<Schemas['ChecklistItemSchema']>;
export type Escalation = Zod.infer<Schemas['EscalationSchema']>;
export type RuleFile = Zod.infer<Schemas['RuleFileSchema']>;
