import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LabHost } from '../lab/lab.js';

/** The lab host's ed25519 host key file (beside its sshd_config, outside the host's masked
 * folders). sshd rewrites its command line into one string: "sshd: /usr/sbin/sshd -f CONFIG ...". */
export function hostKeyFile(host: LabHost): string {
  const cmdline = readFileSync(`/proc/${host.sshdPid}/cmdline`, 'utf8');
  const config = /-f (\S+)/.exec(cmdline)![1]!;
  return join(dirname(config), 'ssh_host_ed25519_key');
}

/** The fingerprint of the host's current key file, as `ssh-keygen -lf` prints it. */
export function keygenFingerprint(host: LabHost): string {
  const line = execFileSync('ssh-keygen', ['-lf', `${hostKeyFile(host)}.pub`], {
    encoding: 'utf8',
  });
  return line.split(' ')[1]!;
}

/** Gives the host a new ed25519 host key and restarts its sshd (SIGHUP: sshd executes itself
 * again, under the same pid). Waits until ssh-keyscan sees the new key; returns its fingerprint. */
export async function rekeyHost(host: LabHost): Promise<string> {
  const file = hostKeyFile(host);
  rmSync(file);
  rmSync(`${file}.pub`);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
  const fresh = host.hostKey().split(' ')[1]!;
  process.kill(host.sshdPid!, 'SIGHUP');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const scan = spawnSync('ssh-keyscan', ['-t', 'ed25519', '-T', '1', host.ip], {
      encoding: 'utf8',
    });
    if (scan.stdout.includes(fresh)) return keygenFingerprint(host);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sshd on ${host.ip} did not take its new host key`);
}
