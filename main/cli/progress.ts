import type { ProgressEvent } from '../contract/operations.js';
import { HOST_STATE } from '../deploy/stages.js';
import { renderScanProgress } from './scan-progress.js';

type StepOutputEvent = Extract<ProgressEvent, { kind: 'step_output' }>;

/** A printer of running steps' output lines on stderr, each after its host and step; lines left
 * out of the events (a burst beyond an event's bound) are counted where they were. */
export function createOutputPrinter(): (event: StepOutputEvent) => void {
  const next = new Map<string, number>();
  return (event) => {
    const key = `${event.deploy_id} ${event.host} ${event.stage} ${event.step}`;
    const where = `  ${event.host} ${event.step} |`;
    const skipped = event.first_line - (next.get(key) ?? 0);
    if (skipped > 0) process.stderr.write(`${where} [... ${skipped} lines not shown ...]\n`);
    for (const line of event.lines) process.stderr.write(`${where} ${line}\n`);
    next.set(key, event.first_line + event.lines.length);
  };
}

type DeployEvent = Extract<ProgressEvent, { kind: 'deploy' }>;

/** One line per event, each thing said once: a host's failure is the line of the step that
 * failed, and a failed deploy's err_info is the command's own error (its failure envelope). */
function deployLine(event: DeployEvent): string | null {
  if (event.over)
    return event.state === 'success'
      ? `deploy: success${event.message ? `, with failures left out: ${event.message}` : ''}`
      : null;
  if (event.host && !event.step && event.state === HOST_STATE.failed) return null;
  const where = event.host ? ` ${event.host}` : '';
  const step = event.step ? ` ${event.step}` : '';
  const message = event.message ? ` ${event.message}` : '';
  return `deploy: stage ${event.stage}${where}${step}: ${event.state}${message}`;
}

/** Progress on stderr: one line per deploy step; a progress bar for scans. */
export function renderProgress(event: ProgressEvent): void {
  if (event.kind === 'scan') return renderScanProgress(event);
  if (event.kind !== 'deploy') return;
  const line = deployLine(event);
  if (line !== null) process.stderr.write(`${line}\n`);
}
