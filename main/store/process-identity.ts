import { readFileSync } from 'node:fs';

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

let bootId: string | undefined;

/** When a running process started, as Linux's /proc tells it: the boot's id and the start time in
 * clock ticks since boot. Together with the pid they name one process, even after the pid is
 * given to another one or the machine restarts. Undefined where there is no /proc, and for a pid
 * that has no process or only a zombie (ended, not yet reaped by its parent). */
export function processStart(pid: number): string | undefined {
  const stat = read(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // The command name, in parentheses, may hold spaces and parentheses: fields follow the last one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [state, starttime] = [fields[0], fields[19]];
  if (state === 'Z' || state === 'X' || !starttime) return undefined;
  bootId ??= read('/proc/sys/kernel/random/boot_id')?.trim() ?? '';
  return `${bootId}:${starttime}`;
}
