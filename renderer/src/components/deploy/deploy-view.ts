import type {
  DeployStatusResult,
  DeploySummary,
  StageView,
  StepView,
} from '../../../../main/contract/results.js';
import { lastLines, type LiveOutput, type LiveOutputs } from '../../stores/live-output.js';

/** The text in the engineer's language: the Chinese one when there is one and it is chosen. */
export function inLanguage(
  locale: string,
  en: string | null,
  cn: string | null | undefined,
): string {
  return (locale.startsWith('zh') ? cn : en) || en || '';
}

/** The lang attribute of text shown by `inLanguage`. */
export function langOf(locale: string): 'zh-CN' | 'en' {
  return locale.startsWith('zh') ? 'zh-CN' : 'en';
}

export type StageState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

/** A stage's state as the engineer reads it, from the spec's flags and where the deploy is. */
function stateOf(over: boolean, current: number, stage: StageView, index: number): StageState {
  if (stage.is_finish) return stage.success ? 'done' : 'failed';
  if (stage.error) return 'failed';
  if (over) return 'skipped';
  return index === current && stage.start_time ? 'running' : 'pending';
}

/** A stage's state as the engineer reads it, from the spec's flags. */
export function stageState(
  status: DeployStatusResult,
  stage: StageView,
  index: number,
): StageState {
  return stateOf(status.is_over, status.DeployStage.CurrentStage, stage, index);
}

/** Every stage's state of a deploy in the cluster's list of deploys. */
export function summaryStageStates(deploy: DeploySummary): StageState[] {
  return deploy.stages.map((s, i) => stateOf(deploy.is_over, deploy.current_stage, s, i));
}

export interface HostLine {
  ip: string;
  name: string;
  role: 'master' | 'worker';
  message: string;
  /** The step running now, or the last one that ran. */
  step: StepView | undefined;
  done: number;
  failed: number;
}

function latest(steps: StepView[]): StepView | undefined {
  return steps.reduce<StepView | undefined>(
    (last, s) => (!last || s.start_time >= last.start_time ? s : last),
    undefined,
  );
}

/** Every host of the deploy with its status line and step counts. */
export function hostLines(status: DeployStatusResult): HostLine[] {
  const nodes = [
    ...status.master_list.map((n) => ({ ...n, role: 'master' as const })),
    ...status.node_list.map((n) => ({ ...n, role: 'worker' as const })),
  ];
  const steps = status.steps ?? [];
  return nodes.map((n) => {
    const mine = steps.filter((s) => s.host === n.IP);
    return {
      ip: n.IP,
      name: n.NodeName,
      role: n.role,
      message: status.total_status.find((h) => h.addr === n.IP)?.message ?? '',
      step: latest(mine),
      done: mine.filter((s) => s.state === 'ok' || s.state === 'skipped').length,
      failed: mine.filter((s) => s.state === 'failed').length,
    };
  });
}

export function failedSteps(status: DeployStatusResult): StepView[] {
  return (status.steps ?? []).filter((s) => s.state === 'failed');
}

/** Whether the page shows a step's lines from its events: while they hold the whole running
 * step. Otherwise it shows the last lines of the stored output (which the status refreshes). */
function fromEvents(step: StepView, live: LiveOutput | undefined): live is LiveOutput {
  return (
    step.state === 'running' &&
    live !== undefined &&
    live.whole &&
    live.step === step.step &&
    live.stage === step.stage
  );
}

/** The lines of a step the page shows. */
export function shownLines(step: StepView, live: LiveOutput | undefined): string[] {
  return fromEvents(step, live) ? live.lines : lastLines(step.output);
}

export interface RunningStep {
  step: StepView;
  lines: string[];
  /** The lines came from the step's events, not from its stored output. */
  live: boolean;
}

/** The steps running now, one per host at most, with the lines to show. */
export function runningSteps(status: DeployStatusResult, live: LiveOutputs): RunningStep[] {
  if (status.is_over) return [];
  return (status.steps ?? [])
    .filter((s) => s.state === 'running')
    .map((step) => ({
      step,
      lines: shownLines(step, live[step.host]),
      live: fromEvents(step, live[step.host]),
    }));
}
