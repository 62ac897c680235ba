import { StreamLines } from './output-lines.js';
import type { Redactor } from './redact.js';

const HEAD_LIMIT = 4096;
const TAIL_LIMIT = 28672;
/** What one progress event carries at most; older lines of a burst are left to the record. */
export const EVENT_MAX_LINES = 200;
export const EVENT_MAX_CHARS = 32768;

/** Lines of the output not sent in an event yet; `first` is the index of the first among every
 * line of the step (lines left out of events count too). */
export interface FreshLines {
  first: number;
  lines: string[];
}

export interface StepOutputOptions {
  /** Applied to each line as it comes, before it is kept or handed on. */
  redact?: Redactor;
  /** Told when lines were added. */
  onLines?: () => void;
}

/** A step's output across its commands, line by line as it comes, redacted, bounded: the start
 * (what was run) and the end (why it failed) are kept, the middle of a long output is dropped.
 * The lines added since the last `take()` wait for the next progress event. */
export class StepOutput {
  private head = '';
  private readonly tail = new TextTail(TAIL_LIMIT);
  private count = 0;
  private fresh: string[] = [];
  private freshChars = 0;
  private readonly product: StreamLines;
  private readonly streams: Record<'stdout' | 'stderr', StreamLines>;

  constructor(private readonly options: StepOutputOptions = {}) {
    const redact = options.redact ?? ((text: string) => text);
    this.product = new StreamLines(redact);
    this.streams = { stdout: new StreamLines(redact), stderr: new StreamLines(redact) };
  }

  /** Text of the product's own (what it ran, what it found), as whole lines. */
  add(text: string): void {
    this.endCommand();
    if (text) this.keep(this.product.push(`${text.replace(/\n$/, '')}\n`));
  }

  /** A chunk a command printed on one of its streams; its complete lines are kept. */
  write(chunk: string, stream: 'stdout' | 'stderr'): void {
    this.keep(this.streams[stream].push(chunk));
  }

  /** The command is over: what it printed without a final newline is kept as its last line. */
  endCommand(): void {
    this.keep([...this.streams.stdout.end(), ...this.streams.stderr.end()]);
  }

  /** The lines added since the last call, for a progress event. */
  take(): FreshLines {
    const taken = { first: this.count - this.fresh.length, lines: this.fresh };
    this.fresh = [];
    this.freshChars = 0;
    return taken;
  }

  text(): string {
    const dropped = this.tail.dropped;
    const gap = dropped > 0 ? `[... ${dropped} characters of output omitted ...]\n` : '';
    return `${this.head}${gap}${this.tail.text()}`.replace(/\n$/, '');
  }

  /** The last few lines, for err_info and the stage's error. */
  lastLines(count = 12): string {
    return this.text().split('\n').slice(-count).join('\n');
  }

  private keep(lines: string[]): void {
    if (lines.length === 0) return;
    for (const line of lines) {
      this.record(`${line}\n`);
      this.queue(line);
    }
    this.options.onLines?.();
  }

  private queue(line: string): void {
    this.count += 1;
    this.fresh.push(line);
    this.freshChars += line.length;
    while (
      this.fresh.length > 1 &&
      (this.fresh.length > EVENT_MAX_LINES || this.freshChars > EVENT_MAX_CHARS)
    )
      this.freshChars -= this.fresh.shift()!.length;
  }

  private record(line: string): void {
    const room = HEAD_LIMIT - this.head.length;
    if (room > 0 && this.tail.length === 0) {
      this.head += line.slice(0, room);
      this.tail.push(line.slice(room));
    } else this.tail.push(line);
  }
}

/** The last `limit` characters of a text that grows by pieces, without copying it for each. */
class TextTail {
  private readonly parts: string[] = [];
  private kept = 0;
  dropped = 0;

  constructor(private readonly limit: number) {}

  get length(): number {
    return this.kept;
  }

  push(text: string): void {
    if (!text) return;
    this.parts.push(text);
    this.kept += text.length;
    while (this.kept - this.parts[0]!.length >= this.limit) this.drop(this.parts.shift()!.length);
    if (this.kept > this.limit) {
      const excess = this.kept - this.limit;
      this.parts[0] = this.parts[0]!.slice(excess);
      this.drop(excess);
    }
  }

  text(): string {
    return this.parts.join('');
  }

  private drop(count: number): void {
    this.kept -= count;
    this.dropped += count;
  }
}
