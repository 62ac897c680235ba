import { randomUUID } from 'node:crypto';
import { invalidField } from '../contract/errors.js';
import type { HostScanResult } from '../contract/results.js';
import type { TopkeApi } from '../contract/operations.js';
import type { ServiceContext } from '../context.js';
import { renderProgress } from './progress.js';

const PLAIN_ADDRESS = /^[^/,-]+$/;

/** `scan BEGIN END` is the spec's range; anything else (a CIDR, FIRST-LAST, a comma list, or
 * several words) is a list of targets. */
function targetsOf(words: string[]): { begin?: string; end?: string; targets?: string[] } {
  const [first = '', second] = words;
  if (words.length === 0)
    throw invalidField(
      'BEGIN',
      'is required: give BEGIN END, or one or more TARGETs (addresses, CIDRs, FIRST-LAST ranges)',
      '为必填项：请提供 BEGIN END，或一个或多个 TARGET（地址、网段或 起始-结束 范围）',
    );
  if (words.length === 1 && PLAIN_ADDRESS.test(first))
    // One bare address is most often a range whose END was forgotten: never scan on a guess.
    throw invalidField(
      'END',
      `is required after BEGIN ${first}; to scan this one address, give it as ${first}/32`,
      `BEGIN ${first} 之后缺少 END；若只扫描这一个地址，请写作 ${first}/32`,
    );
  if (words.length === 2 && PLAIN_ADDRESS.test(first) && PLAIN_ADDRESS.test(second ?? ''))
    return { begin: first, end: second };
  return { targets: words.flatMap((w) => w.split(',')).filter(Boolean) };
}

/** `topke scan`: a progress bar on stderr; Ctrl-C cancels the scan and keeps what was found. */
export async function scanCommand(
  ctx: ServiceContext,
  api: TopkeApi,
  words: string[],
  options: {
    ssh?: Record<string, unknown> | undefined;
    exclude?: string | undefined;
    sshPorts?: string | undefined;
  },
): Promise<HostScanResult> {
  const scanUuid = randomUUID();
  const stop = ctx.events.subscribe((e) => {
    if (e.kind === 'scan' && e.scan_uuid === scanUuid) renderProgress(e);
  });
  const cancel = () => void api.scanCancel({ scan_uuid: scanUuid }).catch(() => undefined);
  process.once('SIGINT', cancel);
  try {
    return await api.hostScan({
      ...targetsOf(words),
      ...(options.exclude ? { exclude: options.exclude } : {}),
      ...(options.sshPorts ? { ssh_ports: options.sshPorts } : {}),
      ...(options.ssh ? { ssh: options.ssh } : {}),
      scan_uuid: scanUuid,
    } as Parameters<TopkeApi['hostScan']>[0]);
  } finally {
    stop();
    process.off('SIGINT', cancel);
  }
}
