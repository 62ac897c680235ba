import { checkResult, formatSkew, worded } from '../result.js';
import type { HostReading } from '../reading.js';
import type { CheckResult } from '../types.js';
import {
  CLOCK_FAIL_MS,
  CLOCK_SPREAD_FAIL_MS,
  CLOCK_SPREAD_WARN_MS,
  CLOCK_WARN_MS,
} from '../thresholds.js';

const CLOCK = { label: 'Clock against this computer', labelCn: '与本机的时钟偏差' };
const SPREAD = { label: 'Clock against the other hosts', labelCn: '与其他主机的时钟偏差' };

const FIX = 'synchronise the clocks (chrony or systemd-timesyncd against a local time server)';
const FIX_CN = '请同步时钟（使用 chrony 或 systemd-timesyncd 对接本地时间服务器）';

/** The host's clock against the laptop's, measured at the midpoint of one round trip. */
export function checkClock(r: HostReading): CheckResult[] {
  const skew = r.clockSkewMs;
  const value = worded(`${formatSkew(skew)} from this computer`, `与本机相差 ${formatSkew(skew)}`);
  const abs = Math.abs(skew);
  const verdict = abs > CLOCK_FAIL_MS ? 'fail' : abs > CLOCK_WARN_MS ? 'warn' : 'pass';
  return [checkResult(r.ip, 'clock', verdict, value, { ...CLOCK, fix: FIX, fixCn: FIX_CN })];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Each host against the median of all hosts: etcd members and certificates need close clocks.
 * Skipped for a single host. */
export function checkClockSpread(readings: HostReading[]): CheckResult[] {
  if (readings.length < 2) return [];
  const middle = median(readings.map((r) => r.clockSkewMs));
  return readings.map((r) => {
    const off = r.clockSkewMs - middle;
    const abs = Math.abs(off);
    const verdict =
      abs > CLOCK_SPREAD_FAIL_MS ? 'fail' : abs > CLOCK_SPREAD_WARN_MS ? 'warn' : 'pass';
    const value = worded(
      `${formatSkew(off)} from the other hosts`,
      `与其他主机相差 ${formatSkew(off)}`,
    );
    return checkResult(r.ip, 'clock.hosts', verdict, value, { ...SPREAD, fix: FIX, fixCn: FIX_CN });
  });
}
