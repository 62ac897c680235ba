import type { Redactor } from './redact.js';

/** The longest line kept whole; the rest of a longer line is left out. */
export const LINE_LIMIT = 8192;
/** A cut line loses this much of its redacted text before the cut, so that a secret the cut
 * split (begun before it, ended after) goes with it instead of showing in part. The secrets
 * the redactor knows (passwords, bootstrap tokens, 64-digit keys) are shorter. */
const CUT_MARGIN = 512;

/** Redacts `line` as it reads after `previous`, so that a pattern begun on the line before is
 * found too: kubeadm prints "Using certificate key:" and the key on the next line. */
function redactAfter(redact: Redactor, previous: string, line: string): string {
  const head = redact(previous);
  const pair = redact(`${previous}\n${line}`);
  return pair.startsWith(`${head}\n`) ? pair.slice(head.length + 1) : redact(line);
}

/** One output stream of a command cut into lines as its chunks arrive, each line redacted
 * whole. Only complete lines (or the last one, when the stream ends) come out, so that a secret
 * is never split between two pieces of output where the redactor would miss it. */
export class StreamLines {
  private pending = '';
  private previous = '';
  /** The line in progress was cut: the rest of it, up to its newline, is left out. */
  private cut = false;

  constructor(private readonly redact: Redactor) {}

  /** The lines this chunk completes, redacted. */
  push(chunk: string): string[] {
    const out: string[] = [];
    const parts = chunk.split('\n');
    parts.forEach((part, i) => {
      this.append(part, out);
      if (i < parts.length - 1) this.endLine(out);
    });
    return out;
  }

  /** The stream is over: its last line, when it had no newline. */
  end(): string[] {
    const out: string[] = [];
    if (this.pending || this.cut) this.endLine(out);
    this.previous = '';
    return out;
  }

  private append(text: string, out: string[]): void {
    if (this.cut) return;
    this.pending += text;
    if (this.pending.length <= LINE_LIMIT) return;
    const kept = this.clean(this.pending.slice(0, LINE_LIMIT + CUT_MARGIN)).slice(0, -CUT_MARGIN);
    out.push(`${kept} [... the rest of a line longer than ${LINE_LIMIT} characters omitted ...]`);
    this.pending = '';
    this.cut = true;
  }

  private endLine(out: string[]): void {
    if (!this.cut) out.push(this.clean(this.pending));
    this.previous = this.cut ? '' : this.pending;
    this.pending = '';
    this.cut = false;
  }

  private clean(line: string): string {
    return redactAfter(this.redact, this.previous, line);
  }
}
