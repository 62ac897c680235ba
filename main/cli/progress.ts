import type { ProgressEvent } from '../contract/operations.js';
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

/** Progress on stderr: one line per deploy step; a progress bar for scans. */
export function renderProgress(event: ProgressEvent): void {
  if (event.kind === 'scan') return renderScanProgress(event);
  if (event.kind === 'deploy') {
    const where = event.host ? ` ${event.host}` : '';
    const step = event.step ? ` ${event.step}` : '';
    process.stderr.write(
      `deploy: stage ${event.stage}${where}${step}: ${event.state}${event.message ? ` ${event.message}` : ''}\n`,
    );
  }
}
