/** A step's output across its commands, bounded: the start (what was run) and the end (why it
 * failed) are kept, the middle of a long output is dropped. */
export class StepOutput {
  private head = '';
  private tail = '';
  private dropped = 0;

  constructor(
    private readonly headLimit = 4096,
    private readonly tailLimit = 28672,
  ) {}

  add(text: string): void {
    if (!text) return;
    const line = text.endsWith('\n') ? text : `${text}\n`;
    const room = this.headLimit - this.head.length;
    if (room > 0 && this.dropped === 0 && this.tail === '') {
      this.head += line.slice(0, room);
      this.addTail(line.slice(room));
    } else this.addTail(line);
  }

  private addTail(text: string): void {
    this.tail += text;
    if (this.tail.length > this.tailLimit) {
      this.dropped += this.tail.length - this.tailLimit;
      this.tail = this.tail.slice(-this.tailLimit);
    }
  }

  text(): string {
    const gap = this.dropped > 0 ? `[... ${this.dropped} characters of output omitted ...]\n` : '';
    return `${this.head}${gap}${this.tail}`.replace(/\n$/, '');
  }

  /** The last few lines, for err_info and the stage's error. */
  lastLines(count = 12): string {
    return this.text().split('\n').slice(-count).join('\n');
  }
}
