import type { ExecResult, SshSession } from '../ssh/types.js';
import type { DeployHost } from './hosts.js';
import type { StepOutput } from './step-output.js';

/** A command on a host ended with a non-zero exit code. `label` is the command as shown, or
 * what went wrong when the product judged its output; `labelCn` is that in Chinese. */
export class CommandFailed extends Error {
  readonly messageCn: string;

  constructor(
    readonly exitCode: number,
    readonly label: string,
    readonly labelCn = label,
  ) {
    super(`"${label}" exited with ${exitCode}`);
    this.messageCn = `“${labelCn}”以退出码 ${exitCode} 结束`;
  }
}

export interface RunOptions {
  stdin?: string | Buffer;
  timeoutMs?: number;
  /** What the output shows instead of the command (for long scripts). */
  label?: string;
  /** A non-zero exit code is an answer, not a failure. */
  check?: boolean;
  /** Keep the command's output out of the step's record and its live lines (it may hold
   * secrets). */
  quiet?: boolean;
  /** Safe to run again (its effect is the same however often it runs): after a dropped
   * connection it runs once more on a new connection. Not for `kubeadm init` or `join`. */
  idempotent?: boolean;
}

const DEFAULT_TIMEOUT = 5 * 60_000;

/** One host as a step sees it: commands run as root, files written as root, output recorded. */
export class Remote {
  constructor(
    readonly host: DeployHost,
    private readonly session: SshSession,
    readonly output: StepOutput,
  ) {}

  async run(command: string, options: RunOptions = {}): Promise<ExecResult> {
    const label = options.label ?? (command.length > 300 ? `${command.slice(0, 300)}…` : command);
    this.output.add(`$ ${label}`);
    let result: ExecResult;
    try {
      result = await this.session.exec(command, {
        sudo: true,
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT,
        ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
        ...(options.quiet ? {} : { onOutput: (chunk, stream) => this.output.write(chunk, stream) }),
        idempotent: options.idempotent === true,
        onReconnect: (reason) => this.noteReconnect(reason),
      });
    } finally {
      this.output.endCommand();
    }
    if (result.code !== 0 && options.check !== false) throw new CommandFailed(result.code, label);
    return result;
  }

  /** Exit code 0 or not, for tests such as `test -f`. */
  async succeeds(command: string): Promise<boolean> {
    const result = await this.session.exec(command, {
      sudo: true,
      timeoutMs: DEFAULT_TIMEOUT,
      idempotent: true,
      onReconnect: (reason) => this.noteReconnect(reason),
    });
    return result.code === 0;
  }

  private noteReconnect(reason: string): void {
    this.output.add(
      `[the SSH connection to ${this.host.ip} dropped (${reason}); reconnected, running the command again]`,
    );
  }

  async upload(localPath: string, remotePath: string, mode: number): Promise<void> {
    await this.session.upload(localPath, remotePath, { sudo: true, mode });
  }

  async read(path: string): Promise<Buffer> {
    return this.session.readFile(path, { sudo: true });
  }
}
