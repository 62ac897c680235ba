import type { ProgressBus } from '../events.js';
import type { Logger } from '../log.js';
import { mapBoth, type Bilingual } from './bilingual.js';
import type { Redactor } from './redact.js';
import type { FreshLines } from './step-output.js';
import { DeployStore, type StepState } from './store.js';
import { STAGES, type HostMessage } from './stages.js';

/** Where a step runs. */
export interface StepAt {
  stage: number;
  host: string;
  step: string;
}

/** What happens during a deploy, as it happens: into SQLite, onto the progress bus, into the log.
 * Every text passes the redactor first, so no secret reaches any of the three. */
export class DeployRecorder {
  constructor(
    readonly store: DeployStore,
    private readonly clusterUuid: string,
    private readonly events: ProgressBus,
    private readonly log: Logger,
    readonly redact: Redactor,
  ) {}

  private emit(
    stage: number,
    state: string,
    extra: { host?: string; step?: string; message?: string; over?: boolean } = {},
  ): void {
    this.events.emit({
      kind: 'deploy',
      uuid: this.clusterUuid,
      deploy_id: this.store.deployId,
      stage,
      state,
      ...extra,
    });
  }

  stageStarted(idx: number): void {
    this.store.stageStarted(idx);
    this.store.log('info', null, `stage "${STAGES[idx]!.name}" started`);
    this.log.info({ deploy: this.store.deployId, stage: idx }, 'stage started');
    this.emit(idx, 'running', { message: STAGES[idx]!.name });
  }

  /** Redacts both languages of a sentence. */
  clean(text: Bilingual): Bilingual {
    return mapBoth(text, this.redact);
  }

  stageFinished(idx: number, error: Bilingual | null): void {
    const clean = error === null ? null : this.clean(error);
    this.store.stageFinished(idx, clean);
    this.store.log(
      clean ? 'error' : 'info',
      null,
      `stage "${STAGES[idx]!.name}" ${clean ? `failed: ${clean.message}` : 'finished'}`,
    );
    this.log.info(
      { deploy: this.store.deployId, stage: idx, ok: clean === null },
      'stage finished',
    );
    this.emit(idx, clean ? 'failed' : 'success', { message: STAGES[idx]!.name });
  }

  /** Where a host of the deploy stands, in its record and its node's; a host the deploy does not
   * work on (a node create's master) is left as it is. */
  hostMessage(stage: number, addr: string, message: HostMessage): void {
    this.store.hostState(this.clusterUuid, addr, message);
    this.emit(stage, message, { host: addr });
  }

  /** The deploy is ending: every host still waiting or working says where it stopped. */
  settleHosts(stage: number): void {
    for (const { addr, message } of this.store.settleHosts(this.clusterUuid))
      this.emit(stage, message, { host: addr });
  }

  stepStarted(stage: number, host: string, step: string): number {
    const id = this.store.stepStarted(stage, host, step);
    this.log.debug({ deploy: this.store.deployId, host, step }, 'step started');
    this.emit(stage, 'running', { host, step });
    return id;
  }

  /** A running step's output so far, into its record, and its new lines onto the bus. Called
   * from a timer: a failed write is logged, and the step's end writes the output again. */
  stepOutput(id: number, at: StepAt, output: string, fresh: FreshLines): void {
    try {
      this.store.stepOutput(id, this.redact(output));
    } catch (err) {
      this.log.warn({ err, deploy: this.store.deployId, step: at.step }, 'step output not saved');
    }
    this.stepLines(at, fresh);
  }

  /** New lines of a running step's output (already redacted, line by line) onto the bus. */
  stepLines(at: StepAt, fresh: FreshLines): void {
    if (fresh.lines.length === 0) return;
    this.events.emit({
      kind: 'step_output',
      uuid: this.clusterUuid,
      deploy_id: this.store.deployId,
      ...at,
      first_line: fresh.first,
      lines: fresh.lines,
    });
  }

  stepFinished(
    id: number,
    at: StepAt,
    state: StepState,
    exitCode: number | null,
    output: string,
    error: Bilingual | null = null,
  ): void {
    const clean = this.redact(output);
    this.store.stepFinished(id, state, exitCode, clean, error && this.clean(error));
    const level = state === 'failed' ? 'error' : 'info';
    this.store.log(
      level,
      at.host,
      `${at.step}: ${state}${exitCode !== null && exitCode !== 0 ? ` (exit ${exitCode})` : ''}`,
    );
    this.log[state === 'failed' ? 'warn' : 'debug'](
      { deploy: this.store.deployId, host: at.host, step: at.step, state, exitCode },
      'step finished',
    );
    this.emit(at.stage, state, { host: at.host, step: at.step });
  }

  note(host: string | null, message: string, level = 'info'): void {
    this.store.log(level, host, this.redact(message));
  }

  finished(state: 'success' | 'failed', errInfo: Bilingual, stage: number): void {
    const clean = this.clean(errInfo);
    this.store.finished(state, clean);
    this.log.info({ deploy: this.store.deployId, state }, 'deploy finished');
    this.emit(stage, state, { message: clean.message || undefined, over: true });
  }
}
