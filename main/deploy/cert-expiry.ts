const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// kubeadm prints dates as "Jun 11, 2025 20:27 UTC".
const DATE = /\b([A-Z][a-z]{2}) (\d{1,2}), (\d{4}) (\d{2}):(\d{2}) UTC\b/g;

/** The earliest expiry (seconds since epoch) in `kubeadm certs check-expiration` output. */
export function earliestCertExpiry(output: string): number | null {
  let earliest: number | null = null;
  for (const m of output.matchAll(DATE)) {
    const month = MONTHS.indexOf(m[1]!);
    if (month < 0) continue;
    const at = Date.UTC(Number(m[3]), month, Number(m[2]), Number(m[4]), Number(m[5])) / 1000;
    if (earliest === null || at < earliest) earliest = at;
  }
  return earliest;
}
