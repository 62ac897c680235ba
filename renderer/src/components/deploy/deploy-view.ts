import type { DeployStatusResult, StageView, StepView } from '../../../../main/contract/results.js';

export type StageState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

/** A stage's state as the engineer reads it, from the spec's flags. */
export function stageState(
  status: DeployStatusResult,
  stage: StageView,
  index: number,
): StageState {
  if (stage.is_finish) return stage.success ? 'done' : 'failed';
  if (stage.error) return 'failed';
  if (status.is_over) return 'skipped';
  return index === status.DeployStage.CurrentStage && stage.start_time ? 'running' : 'pending';
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
