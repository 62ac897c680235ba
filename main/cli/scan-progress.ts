import cliProgress from 'cli-progress';
import type { ProgressEvent } from '../contract/operations.js';

type ScanEvent = Extract<ProgressEvent, { kind: 'scan' }>;

const bars = new Map<string, cliProgress.SingleBar>();

const LINE = 'scan [{bar}] {value}/{total} addresses, {found} found';

/** The bar's line, with the time left once cli-progress can estimate it (it has no estimate
 * before a few addresses are done, nor after the last). */
const format: cliProgress.GenericFormatter = (options, params, payload) => {
  const known = Number.isFinite(params.eta) && params.value < params.total;
  const line = known ? `${LINE}, {eta_formatted} left` : LINE;
  return cliProgress.Format.Formatter({ ...options, format: line }, params, payload);
};

function newBar(stream: NodeJS.WriteStream): cliProgress.SingleBar {
  return new cliProgress.SingleBar(
    {
      stream,
      format,
      barsize: 30,
      hideCursor: true,
      // Without a terminal (a log, CI) the bar still prints a line every second.
      noTTYOutput: true,
      notTTYSchedule: 1000,
      etaBuffer: 200,
    },
    cliProgress.Presets.shades_classic,
  );
}

/** A progress bar on stderr for each running scan, ended by a summary line. */
export function renderScanProgress(event: ScanEvent, stream = process.stderr): void {
  let bar = bars.get(event.scan_uuid);
  if (!bar) {
    bar = newBar(stream);
    bar.start(event.total, event.done, { found: event.found });
    bars.set(event.scan_uuid, bar);
  }
  bar.update(event.done, { found: event.found });
  if (!event.finished) return;
  bar.stop();
  bars.delete(event.scan_uuid);
  stream.write(`${scanSummary(event)}\n`);
}

/** The scan's last line: how it ended, how far it got, what it found, and what it could not
 * probe. */
function scanSummary(event: ScanEvent): string {
  const hosts = event.found === 1 ? 'host' : 'hosts';
  const line = `scan ${event.state ?? 'done'}: ${event.done} of ${event.total} addresses checked, ${event.found} ${hosts} found`;
  if (event.unprobed === 0) return line;
  const which = event.unprobed === 1 ? '1 of them' : `${event.unprobed} of them`;
  return `${line}; ${which} could not be probed (the kernel's neighbour table was full): scan again`;
}
