import type { DeployRecorder, StepAt } from './recorder.js';
import { StepOutput } from './step-output.js';

/** A running step's output goes to its record and its new lines to an event at most this often. */
export const FLUSH_MS = 500;

/** The output of a running step, brought to SQLite and the progress bus as it grows: at once for
 * the first lines, then at most every FLUSH_MS, and the last lines when the step ends. Each write
 * is one small statement of a bounded text, so a host printing fast costs no more than a slow one;
 * what a flush has not taken yet waits in the bounded output, never in a queue. */
export class LiveOutput {
  readonly output: StepOutput;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last = 0;
  private ended = false;

  constructor(
    private readonly rec: DeployRecorder,
    private readonly id: number,
    private readonly at: StepAt,
  ) {
    this.output = new StepOutput({ redact: rec.redact, onLines: () => this.schedule() });
  }

  /** The step is over: lines not sent yet go out now, ahead of the step's end. */
  end(): void {
    this.ended = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.rec.stepLines(this.at, this.output.take());
  }

  private schedule(): void {
    if (this.timer || this.ended) return;
    const wait = Math.max(0, this.last + FLUSH_MS - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = undefined;
    this.last = Date.now();
    this.rec.stepOutput(this.id, this.at, this.output.text(), this.output.take());
  }
}
