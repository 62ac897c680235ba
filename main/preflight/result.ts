import type { CheckResult, Verdict } from './types.js';

/** What a check says, in both languages. */
export interface CheckText {
  label: string;
  labelCn: string;
  fix?: string;
  fixCn?: string;
}

/** What a check measured, in English and Chinese. */
export interface Measured {
  en: string;
  cn: string;
}

/** A value that reads the same in both languages: a number with its unit, a version, a name. */
export const bare = (text: string): Measured => ({ en: text, cn: text });

export const worded = (en: string, cn: string): Measured => ({ en, cn });

export const UNKNOWN = worded('unknown', '未知');

/** Builds one row of the preflight table; a passing check needs no fix. */
export function checkResult(
  host: string,
  check: string,
  verdict: Verdict,
  value: Measured,
  text: CheckText,
  fixable = false,
): CheckResult {
  const passed = verdict === 'pass';
  return {
    host,
    check,
    verdict,
    value: value.en,
    value_cn: value.cn,
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
