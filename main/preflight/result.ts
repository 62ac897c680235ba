import type { CheckResult, Verdict } from './types.js';

/** What a check says, in both languages. */
export interface CheckText {
  label: string;
  labelCn: string;
  fix?: string;
  fixCn?: string;
}

/** Builds one row of the preflight table; a passing check needs no fix. */
export function checkResult(
  host: string,
  check: string,
  verdict: Verdict,
  value: string,
  text: CheckText,
  fixable = false,
): CheckResult {
  const passed = verdict === 'pass';
  return {
    host,
    check,
    verdict,
    value,
    fix: passed ? '' : (text.fix ?? ''),
    fix_cn: passed ? '' : (text.fixCn ?? text.fix ?? ''),
    fixable: passed ? false : fixable,
    label: text.label,
    label_cn: text.labelCn,
  };
}

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/** "1.5 GiB" or "512 MiB". */
export function formatBytes(bytes: number): string {
  return bytes >= GIB ? `${(bytes / GIB).toFixed(1)} GiB` : `${Math.round(bytes / MIB)} MiB`;
}

/** "+1.2 s" or "-45 s". */
export function formatSkew(ms: number): string {
  const s = ms / 1000;
  const text = Math.abs(s) < 10 ? s.toFixed(1) : String(Math.round(s));
  return `${s >= 0 ? '+' : ''}${text} s`;
}
