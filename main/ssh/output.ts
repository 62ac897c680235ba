import { StringDecoder } from 'node:string_decoder';

/** One output stream of a command: forwarded live as text, kept in memory up to a bound. When
 * the bound is passed the oldest bytes go first, since a failure explains itself at the end. */
export class BoundedOutput {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private dropped = 0;
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly limit: number,
    private readonly forward?: (text: string) => void,
  ) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.kept += chunk.length;
    while (this.kept > this.limit && this.chunks.length > 0) this.dropOldest();
    if (this.forward) this.emit(this.decoder.write(chunk));
  }

  /** The stream is over: a character cut short at its very end is forwarded too. */
  end(): void {
    if (this.forward) this.emit(this.decoder.end());
  }

  get truncated(): boolean {
    return this.dropped > 0;
  }

  buffer(): Buffer {
    return Buffer.concat(this.chunks);
  }

  text(): string {
    const body = this.buffer().toString('utf8');
    return this.dropped > 0 ? `[${this.dropped} earlier bytes of output omitted]\n${body}` : body;
  }

  private dropOldest(): void {
    const first = this.chunks[0]!;
    const excess = this.kept - this.limit;
    if (first.length <= excess) {
      this.chunks.shift();
      this.kept -= first.length;
      this.dropped += first.length;
    } else {
      this.chunks[0] = first.subarray(excess);
      this.kept -= excess;
      this.dropped += excess;
    }
  }

  private emit(text: string): void {
    if (!text) return;
    try {
      this.forward!(text);
    } catch {
      // A failing listener must not break the command it listens to.
    }
  }
}
