import type { ProgressEvent } from '../api/index.js';

type StepOutputEvent = Extract<ProgressEvent, { kind: 'step_output' }>;

/** Lines of a running step the page keeps and shows at most. */
export const SHOWN_LINES = 200;

/** The output of the step running on a host, as its progress events brought it. `whole` while
 * every line since the step began has arrived; otherwise (the page came in mid-step, or lines
 * were left out of the events) the page shows the step's stored output instead. */
export interface LiveOutput {
  stage: number;
  step: string;
  lines: string[];
  /** The index the next event's first line should have. */
  next: number;
  whole: boolean;
}

/** Per host address. */
export type LiveOutputs = Record<string, LiveOutput>;

/** A step began on a host: its output starts empty and whole. */
export function stepBegan(
  live: LiveOutputs,
  host: string,
  stage: number,
  step: string,
): LiveOutputs {
  return { ...live, [host]: { stage, step, lines: [], next: 0, whole: true } };
}

/** New lines of a host's running step, appended when they follow on, and bounded. */
export function outputArrived(live: LiveOutputs, event: StepOutputEvent): LiveOutputs {
  const known = live[event.host];
  const same = known && known.step === event.step && known.stage === event.stage;
  const before = same ? known : { stage: event.stage, step: event.step, lines: [], next: 0 };
  const whole = (same ? known.whole : event.first_line === 0) && event.first_line === before.next;
  const lines = [...before.lines, ...event.lines].slice(-SHOWN_LINES);
  const next = event.first_line + event.lines.length;
  return { ...live, [event.host]: { stage: event.stage, step: event.step, lines, next, whole } };
}

/** Follows a deploy's events: a step's start and its output. Answers the live outputs again
 * when the event was not about them. */
export function followOutput(live: LiveOutputs, event: ProgressEvent): LiveOutputs {
  if (event.kind === 'step_output') return outputArrived(live, event);
  if (event.kind === 'deploy' && event.host && event.step && event.state === 'running')
    return stepBegan(live, event.host, event.stage, event.step);
  return live;
}

/** The last lines of a step's stored output, as the page shows them. */
export function lastLines(output: string): string[] {
  return output ? output.split('\n').slice(-SHOWN_LINES) : [];
}
