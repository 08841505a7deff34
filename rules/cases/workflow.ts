/**
 * The case state machine, as data (workflow.yaml): states with their Vietnamese labels and the allowed
 * transitions. Code never hard-codes a transition, so the office can change the workflow in the file.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadYamlFile, parseYamlText } from '../../lib/yaml-file.ts';

export const StateCode = z.enum(['moi', 'dang-xu-ly', 'da-phat-ngon', 'da-gui-de-nghi-cai-chinh', 'bao-da-cai-chinh', 'dong', 'khong-can-xu-ly']);
export type StateCode = z.infer<typeof StateCode>;

const StateDef = z.strictObject({
  code: StateCode,
  label: z.string().min(1),
  agencyActing: z.boolean().default(false),
  outletActing: z.boolean().default(false),
  terminal: z.boolean().default(false),
});

const TransitionDef = z.strictObject({
  action: z.string().regex(/^[a-z0-9-]+$/),
  label: z.string().min(1),
  from: z.array(StateCode).min(1),
  to: StateCode,
  noteRequired: z.boolean().default(false),
});
export type TransitionDef = z.infer<typeof TransitionDef>;

export const WorkflowFile = z
  .strictObject({
    version: z.literal(1),
    states: z.array(StateDef).min(1),
    transitions: z.array(TransitionDef).min(1),
    outlet: z.strictObject({ immediateGraceHours: z.number().nonnegative() }),
    metrics: z.strictObject({ statement24hRules: z.array(z.string().min(1)), falseInfoRules: z.array(z.string().min(1)) }),
  })
  .superRefine((w, ctx) => {
    const codes = new Set(w.states.map((s) => s.code));
    for (const c of StateCode.options) if (!codes.has(c)) ctx.addIssue({ code: 'custom', path: ['states'], message: `state ${c} is not defined` });
    if (codes.size !== w.states.length) ctx.addIssue({ code: 'custom', path: ['states'], message: 'a state is defined twice' });
    const seen = new Set<string>();
    w.transitions.forEach((t, i) => {
      for (const f of t.from) {
        const key = `${f}→${t.to}`;
        // One action per (from, to) pair, so a requested target state names its action unambiguously.
        if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['transitions', i], message: `transition ${key} is defined twice` });
        seen.add(key);
      }
    });
  });
export type WorkflowFile = z.infer<typeof WorkflowFile>;

export const DEFAULT_WORKFLOW_FILE = join(dirname(fileURLToPath(import.meta.url)), 'workflow.yaml');

export class InvalidTransitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTransitionError';
  }
}

export interface Workflow {
  readonly data: WorkflowFile;
  label(state: StateCode): string;
  state(code: StateCode): WorkflowFile['states'][number];
  /** The transition from → to, or an InvalidTransitionError naming the allowed targets. */
  transition(from: StateCode, to: StateCode, note?: string | null): TransitionDef;
  allowedFrom(from: StateCode): StateCode[];
}

export function buildWorkflow(data: WorkflowFile): Workflow {
  const states = new Map(data.states.map((s) => [s.code, s]));
  const allowedFrom = (from: StateCode) => data.transitions.filter((t) => t.from.includes(from)).map((t) => t.to);
  return {
    data,
    label: (code) => states.get(code)!.label,
    state: (code) => states.get(code)!,
    allowedFrom,
    transition(from, to, note) {
      const t = data.transitions.find((x) => x.to === to && x.from.includes(from));
      if (!t) {
        const allowed = allowedFrom(from).map((s) => `${s} (${states.get(s)!.label})`).join(', ') || 'none';
        throw new InvalidTransitionError(`cannot move a case from ${from} (${states.get(from)!.label}) to ${to} (${states.get(to)!.label}); allowed: ${allowed}`);
      }
      if (t.noteRequired && !note?.trim()) throw new InvalidTransitionError(`moving a case to ${to} (${states.get(to)!.label}) needs a reason`);
      return t;
    },
  };
}

let cached: Workflow | null = null;
export function loadWorkflow(file: string = DEFAULT_WORKFLOW_FILE): Workflow {
  if (file === DEFAULT_WORKFLOW_FILE && cached) return cached;
  const wf = buildWorkflow(loadYamlFile(file, WorkflowFile).data);
  if (file === DEFAULT_WORKFLOW_FILE) cached = wf;
  return wf;
}

export function parseWorkflow(file: string, text: string): Workflow {
  return buildWorkflow(parseYamlText(file, text, WorkflowFile).data);
}
