import type { ProgressEvent } from '../contract/operations.js';

/** Progress on stderr: one line per deploy step; a bar that redraws in place for scans on a TTY. */
export function renderProgress(event: ProgressEvent): void {
  if (event.kind === 'scan') {
    const line = `scan: ${event.done}/${event.total} addresses, ${event.found} found`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}${event.finished ? '\n' : ''}`);
    else if (event.finished || event.done % 64 === 0) process.stderr.write(`${line}\n`);
    return;
  }
  if (event.kind === 'deploy') {
    const where = event.host ? ` ${event.host}` : '';
    const step = event.step ? ` ${event.step}` : '';
    process.stderr.write(
      `deploy: stage ${event.stage}${where}${step}: ${event.state}${event.message ? ` ${event.message}` : ''}\n`,
    );
  }
}
