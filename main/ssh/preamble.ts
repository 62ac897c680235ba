/** Drops what a stream carries before a marker: the newline and any lecture that sudo writes to
 * a terminal once it has read a password. If the marker never comes (sudo failed before the
 * command ran), everything held back is passed on at the end, so the failure stays readable. */
export class PreambleFilter {
  private held: Buffer | undefined = Buffer.alloc(0);

  constructor(
    private readonly marker: Buffer,
    private readonly next: (chunk: Buffer) => void,
  ) {}

  push(chunk: Buffer): void {
    if (!this.held) return this.next(chunk);
    this.held = Buffer.concat([this.held, chunk]);
    const at = this.held.indexOf(this.marker);
    if (at >= 0) {
      const rest = this.held.subarray(at + this.marker.length);
      this.held = undefined;
      if (rest.length > 0) this.next(rest);
    } else if (this.held.length > 64 * 1024) {
      // No preamble is this long: the marker is not coming.
      this.end();
    }
  }

  end(): void {
    const held = this.held;
    this.held = undefined;
    if (held && held.length > 0) this.next(held);
  }
}
