import ping from 'ping';

/** ping's -W in seconds, with a tenth of a second's precision. */
export function pingSeconds(timeoutMs: number): string {
  return (Math.max(200, timeoutMs) / 1000).toFixed(1);
}

/** Whether the address answers an ICMP echo within the timeout. The verdict is the ping package's
 * `alive` (a reply was received), never a reading of the system ping's translated messages. */
export async function pingAlive(ip: string, timeoutMs: number): Promise<boolean> {
  try {
    const reply = await ping.promise.probe(ip, {
      numeric: true,
      min_reply: 1,
      // The package only writes whole seconds to -W; a later -W with a fraction takes precedence.
      extra: ['-W', pingSeconds(timeoutMs)],
    });
    return reply.alive;
  } catch {
    return false;
  }
}
