/** What the case functions need besides the Store and the clock: the workflow and the legal data. */
import { loadCalendar, type WorkCalendar } from '../calendar/calendar.ts';
import { loadRegimes, type Regimes } from '../legal/regimes.ts';
import { loadWorkflow, type Workflow } from './workflow.ts';

export interface CaseContext {
  workflow: Workflow;
  regimes: Regimes;
  calendar: WorkCalendar;
}

let cached: CaseContext | null = null;
/** The default data files, loaded once per process (they are read-only). */
export function defaultCaseContext(): CaseContext {
  cached ??= { workflow: loadWorkflow(), regimes: loadRegimes(), calendar: loadCalendar() };
  return cached;
}
