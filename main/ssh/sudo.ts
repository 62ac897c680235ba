import { sshError, type SshPeer } from './errors.js';
import { shellQuote } from './quote.js';

/** How this login becomes root: it is root; sudo without a password; sudo with the password on
 * stdin. `pty` is set when sudo insists on a terminal (requiretty). */
export type SudoMode =
  | { kind: 'root' }
  | { kind: 'nopasswd'; pty: boolean }
  | { kind: 'password'; pty: boolean; password: string };

export type ProbeRunner = (command: string, pty: boolean, stdin?: string) => Promise<number>;

const NO_PASSWORD = 'sudo -n true';
// -k ignores cached credentials, so sudo always reads the password line and never leaves it to
// the command; -p '' keeps the prompt out of the output.
const WITH_PASSWORD = "sudo -k -S -p '' true";

/** Finds how to run commands as root: `sudo -n` first, then the sudo password (or the login
 * password) on stdin, each without and then with a terminal. */
export async function probeSudo(
  peer: SshPeer,
  password: string | undefined,
  run: ProbeRunner,
): Promise<SudoMode> {
  if (peer.user === 'root') return { kind: 'root' };
  for (const pty of [false, true]) {
    if ((await run(NO_PASSWORD, pty)) === 0) return { kind: 'nopasswd', pty };
    if (password !== undefined && (await run(WITH_PASSWORD, pty, `${password}\n`)) === 0) {
      return { kind: 'password', pty, password };
    }
  }
  throw sshError(password === undefined ? 'sudo_needs_password' : 'sudo_password_wrong', peer);
}

/** The command line and stdin that run `command` as root in the given mode. The password only
 * ever travels on stdin. */
export function asRoot(
  mode: SudoMode,
  command: string,
  stdin: string | Buffer | undefined,
): { command: string; stdin: string | Buffer | undefined } {
  if (mode.kind === 'root') return { command, stdin };
  const shell = `sh -c ${shellQuote(command)}`;
  if (mode.kind === 'nopasswd') return { command: `sudo -n -- ${shell}`, stdin };
  const line = Buffer.from(`${mode.password}\n`);
  const rest = stdin === undefined ? Buffer.alloc(0) : Buffer.from(stdin);
  return { command: `sudo -k -S -p '' -- ${shell}`, stdin: Buffer.concat([line, rest]) };
}
