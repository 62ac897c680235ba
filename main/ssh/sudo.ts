import { sshError, type SshPeer } from './errors.js';
import { shellCommand, shellQuote } from './quote.js';

/** How this login becomes root: it is root; sudo without a password; sudo with the password on
 * stdin. `pty` is set when sudo insists on a terminal (requiretty). */
export type SudoMode =
  | { kind: 'root' }
  | { kind: 'nopasswd'; pty: boolean }
  | { kind: 'password'; pty: boolean; password: string };

/** Runs a probe command; answers its exit code and its output (both streams). */
export type ProbeRunner = (
  command: string,
  pty: boolean,
  stdin?: string,
) => Promise<{ code: number; output: string }>;

/** Printed by the command before anything else when sudo reads a password: the output before
 * it is sudo's own (under a terminal, a newline and perhaps a lecture). */
export const SUDO_MARKER = '\x1eTOPKE-SUDO-START\x1e';

/** A terminal turns ^D at the start of a line into end of file: it ends the command's stdin. */
const PTY_EOF = '\x04';

const NO_PASSWORD = 'sudo -n true';
// -k ignores cached credentials, so sudo always reads the password line and never leaves it to
// the command; -p '' keeps the prompt out of the output.
const SUDO_S = "sudo -k -S -p ''";
// requiretty wants a controlling terminal, not a terminal on stdin: the password reaches sudo
// through a pipe, so a wrong one meets end of file instead of a terminal that never ends.
const PTY_PASSWORD_PIPE = 'head -n 1 |';

/** The prompt of the probe's password try: seen in its output, it tells that sudo asked for the
 * password (so a failure means the password was refused) rather than refused to run at all. */
const ASKED = '\x1eTOPKE-SUDO-ASKED\x1e';

function sudoWithPassword(pty: boolean, rest: string, sudo = SUDO_S): string {
  return pty ? `${PTY_PASSWORD_PIPE} ${sudo} ${rest}` : `${sudo} ${rest}`;
}

/** Tries the password; answers whether sudo took it, and whether it asked for it at all. */
async function tryPassword(
  run: ProbeRunner,
  pty: boolean,
  password: string,
): Promise<{ ok: boolean; asked: boolean }> {
  const probe = `sudo -k -S -p ${shellQuote(ASKED)}`;
  const result = await run(sudoWithPassword(pty, 'true', probe), pty, `${password}\n`);
  return { ok: result.code === 0, asked: result.output.includes(ASKED) };
}

/** Finds how to run commands as root: `sudo -n` first, then the sudo password (or the login
 * password) on stdin, each without and then with a terminal. A password that sudo asked for and
 * refused without a terminal is not tried again with one: each try counts as a failed login
 * (pam_faillock locks an account after a few), and only requiretty makes a terminal matter. */
export async function probeSudo(
  peer: SshPeer,
  password: string | undefined,
  run: ProbeRunner,
): Promise<SudoMode> {
  if (peer.user === 'root') return { kind: 'root' };
  for (const pty of [false, true]) {
    if ((await run(NO_PASSWORD, pty, pty ? PTY_EOF : undefined)).code === 0) {
      return { kind: 'nopasswd', pty };
    }
    if (password === undefined) continue;
    const tried = await tryPassword(run, pty, password);
    if (tried.ok) return { kind: 'password', pty, password };
    if (tried.asked) break;
  }
  throw sshError(password === undefined ? 'sudo_needs_password' : 'sudo_password_wrong', peer);
}

export interface RootCommand {
  command: string;
  stdin: string | Buffer | undefined;
  /** Output before this marker is sudo's, not the command's. */
  marker?: string;
}

/** The command line and stdin that run `command` as root in the given mode. The password only
 * ever travels on stdin. Under a terminal the command's own stdin is not passed (see
 * staged-stdin.ts). */
export function asRoot(
  mode: SudoMode,
  command: string,
  stdin: string | Buffer | undefined,
): RootCommand {
  if (mode.kind === 'root') return { command, stdin };
  if (mode.kind === 'nopasswd') {
    return {
      command: `sudo -n -- sh -c ${shellQuote(command)}`,
      stdin: mode.pty ? PTY_EOF : stdin,
    };
  }
  const mark = shellCommand('printf', '%s', SUDO_MARKER);
  // Under a terminal both streams are one; otherwise each stream gets its own marker.
  const marks = mode.pty ? mark : `${mark}; ${mark} >&2`;
  const line = Buffer.from(`${mode.password}\n`);
  const rest = stdin === undefined || mode.pty ? Buffer.alloc(0) : Buffer.from(stdin);
  return {
    command: sudoWithPassword(mode.pty, `-- sh -c ${shellQuote(`${marks}; ${command}`)}`),
    stdin: Buffer.concat([line, rest]),
    marker: SUDO_MARKER,
  };
}
