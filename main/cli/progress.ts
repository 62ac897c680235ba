import type { ProgressEvent } from '../contract/operations.js';
import { renderScanProgress } from './scan-progress.js';

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
