import { asTopkeError } from '../contract/errors.js';
import type { HostFacts, HostKeySeen } from '../contract/results.js';
import type { SshCredentials } from '../contract/schemas.js';
import { errorKeyView, seenKeyView } from '../hostkeys/views.js';
import { sshErrorKind, type SshErrorDetails } from '../ssh/errors.js';
import type { SshPool, SshTarget } from '../ssh/types.js';
import { readHostFacts, type HostFactsReading } from './host-facts.js';
import type { LoginFn, LoginReport } from './probe-address.js';

/** The SSH layer's target for a request's credentials at one address and port. */
export function sshTarget(credentials: SshCredentials, ip: string, port: number): SshTarget {
  const target: SshTarget = { host: ip, port, user: credentials.user };
  if (credentials.password !== undefined) target.password = credentials.password;
  if (credentials.private_key !== undefined) target.privateKey = credentials.private_key;
  if (credentials.passphrase !== undefined) target.passphrase = credentials.passphrase;
  if (credentials.sudo_password !== undefined) target.sudoPassword = credentials.sudo_password;
  if (credentials.legacy_algorithms) target.legacyAlgorithms = true;
  return target;
}

function hostFacts({ facts, clockSkewMs }: HostFactsReading): HostFacts {
  const runtime = ['containerd', 'docker', 'crio'].find((b) => facts.binaries[b]);
  const out: HostFacts = {
    arch: facts.arch,
    os: facts.osId,
    os_version: facts.osVersion,
    kernel: facts.kernel,
    container_runtime: runtime ? facts.versions[runtime] || runtime : null,
    kubelet: facts.binaries.kubelet ? facts.versions.kubelet || facts.binaries.kubelet : null,
    disk_path: facts.diskPath,
    clock_skew_ms: clockSkewMs,
    swap_bytes: facts.swaps.reduce((sum, s) => sum + s.bytes, 0),
  };
  if (facts.diskFreeBytes !== null) out.disk_free_bytes = facts.diskFreeBytes;
  if (facts.clockMs !== null) out.clock = facts.clockMs;
  return out;
}

function report(reading: HostFactsReading): LoginReport {
  const f = reading.facts;
  const os = f.osName || [f.osId, f.osVersion].filter(Boolean).join(' ');
  return {
    login: { ok: true },
    hostName: f.hostname,
    cores: f.cpus ?? 0,
    memoryBytes: f.memBytes ?? 0,
    version: `${os} ${f.kernel} linux/${f.arch}`.trim(),
    facts: hostFacts(reading),
  };
}

/** Adds the key the host presented to what the scan reports of it. */
function withHostKey(reported: LoginReport, key: HostKeySeen | undefined): LoginReport {
  return key ? { ...reported, facts: { ...reported.facts, host_key: key } } : reported;
}

/** Logs in with the request's credentials and reads the facts; a failure is reported on the
 * host (with the SSH layer's code and sentence), never thrown. */
export function makeLogin(
  pool: SshPool,
  credentials: SshCredentials,
  installDir?: string,
): LoginFn {
  return async (ip, port, socket) => {
    try {
      const session = await pool.session(sshTarget(credentials, ip, port), socket);
      return withHostKey(
        report(await readHostFacts(session, { installDir, timeoutMs: 20_000, depth: 'scan' })),
        session.hostKey && seenKeyView(session.hostKey),
      );
    } catch (err) {
      const e = asTopkeError(err);
      const code = sshErrorKind(err) ?? e.code;
      const failed: LoginReport = {
        login: { ok: false, error: e.message, error_cn: e.messageCn, code },
      };
      // A changed key, or a failed login after the key exchange: the key is still shown.
      return withHostKey(failed, errorKeyView(e.details as Partial<SshErrorDetails> | undefined));
    }
  };
}
