import ipaddr from 'ipaddr.js';
import { unusableBlockIn } from '../contract/address-use.js';
import { invalidField } from '../contract/errors.js';
import { numberToIpv4, parseIpv4, rejectIpv6, type Ipv4Number } from './ipv4.js';

/** The most addresses one scan may cover (a /16). */
export const MAX_SCAN_ADDRESSES = 65_536;

/** An inclusive span of addresses, and the request field it came from (for error messages). */
interface Span {
  field: string;
  first: Ipv4Number;
  last: Ipv4Number;
}

export interface ScanTargetsInput {
  begin?: string | undefined;
  end?: string | undefined;
  cidr?: string | undefined;
  targets?: string[] | undefined;
  exclude?: string[] | undefined;
}

function isIpv6(text: string): boolean {
  return ipaddr.IPv6.isValid(text.trim());
}

/** A span may not reach into addresses no host can have (loopback, multicast, ...). */
function checkUsable(span: Span, text: string): Span {
  const found = unusableBlockIn(span.first, span.last);
  if (found)
    throw invalidField(
      span.field,
      `"${text}" reaches into ${found.en}, where no host can be: leave those addresses out`,
      `“${text}” 包含${found.cn}中的地址，这些地址不可能是主机：请去掉它们`,
    );
  return span;
}

function checkSize(span: Span, text: string): Span {
  const count = span.last - span.first + 1;
  if (count > MAX_SCAN_ADDRESSES) {
    throw invalidField(
      span.field,
      `"${text}" covers ${count} addresses; at most ${MAX_SCAN_ADDRESSES} can be scanned at once`,
      `“${text}” 包含 ${count} 个地址；一次最多扫描 ${MAX_SCAN_ADDRESSES} 个`,
    );
  }
  return span;
}

/** A span to scan: only addresses a host can have, and not too many of them. */
function checkSpan(span: Span, text: string): Span {
  return checkUsable(checkSize(span, text), text);
}

function orderedSpan(field: string, first: Ipv4Number, last: Ipv4Number, text: string): Span {
  if (first > last) {
    throw invalidField(
      field,
      `"${text}": the range ends at ${numberToIpv4(last)}, before it begins at ${numberToIpv4(first)}`,
      `“${text}”：结束地址 ${numberToIpv4(last)} 在起始地址 ${numberToIpv4(first)} 之前`,
    );
  }
  return { field, first, last };
}

/** A CIDR block; the network and broadcast addresses are left out, except for /31 and /32. */
function cidrSpan(field: string, text: string): Span {
  const [addr = '', bits = '', extra] = text.split('/');
  rejectIpv6(field, text);
  if (extra !== undefined || !/^\d{1,2}$/.test(bits) || Number(bits) > 32) {
    throw invalidField(
      field,
      `"${text}" is not an IPv4 CIDR: the prefix length must be 0 to 32`,
      `“${text}” 不是有效的 IPv4 网段：前缀长度应为 0 到 32`,
    );
  }
  const prefix = Number(bits);
  const base = parseIpv4(field, addr);
  const size = 2 ** (32 - prefix);
  const network = base - (base % size);
  const broadcast = network + size - 1;
  const span =
    prefix <= 30
      ? { first: network + 1, last: broadcast - 1 }
      : { first: network, last: broadcast };
  return { field, ...span };
}

/** "a.b.c.d-e.f.g.h", or the short form "a.b.c.d-h" that only changes the last octet. */
function dashSpan(field: string, text: string): Span {
  const [left = '', right = '', extra] = text.split('-');
  if (extra !== undefined) {
    throw invalidField(
      field,
      `"${text}" is not a range: use FIRST-LAST`,
      `“${text}” 不是有效的地址范围：请使用 起始-结束 的形式`,
    );
  }
  const first = parseIpv4(field, left);
  const lastText = /^\d{1,3}$/.test(right.trim())
    ? `${left.trim().split('.').slice(0, 3).join('.')}.${right.trim()}`
    : right;
  const last = parseIpv4(field, lastText);
  return orderedSpan(field, first, last, text);
}

/** One entry of `targets` or `exclude`: an address, a CIDR or a range. */
export function parseTargetEntry(field: string, raw: string): Span {
  const text = raw.trim();
  if (text === '') throw invalidField(field, 'must not be empty', '不能为空');
  if (text.includes('/')) return cidrSpan(field, text);
  if (text.includes('-')) return dashSpan(field, text);
  const one = parseIpv4(field, text);
  return { field, first: one, last: one };
}

function beginEndSpan(begin: string | undefined, end: string | undefined): Span | null {
  if (begin === undefined && end === undefined) return null;
  if (!begin) throw invalidField('begin', 'is required together with end', '与 end 一起为必填项');
  if (!end) throw invalidField('end', 'is required together with begin', '与 begin 一起为必填项');
  if (isIpv6(begin) !== isIpv6(end)) {
    throw invalidField(
      'end',
      `"${begin}" and "${end}" mix IPv4 and IPv6; both must be IPv4`,
      `“${begin}” 与 “${end}” 混用了 IPv4 和 IPv6；两者都应为 IPv4`,
    );
  }
  const first = parseIpv4('begin', begin);
  const last = parseIpv4('end', end);
  return orderedSpan('end', first, last, `${begin.trim()} - ${end.trim()}`);
}

function includeSpans(input: ScanTargetsInput): Span[] {
  const spans: Span[] = [];
  const range = beginEndSpan(input.begin || undefined, input.end || undefined);
  if (range) spans.push(checkSpan(range, `${input.begin} - ${input.end}`));
  if (input.cidr) spans.push(checkSpan(cidrSpan('cidr', input.cidr.trim()), input.cidr));
  (input.targets ?? []).forEach((t, i) => {
    spans.push(checkSpan(parseTargetEntry(`targets[${i}]`, t), t));
  });
  if (spans.length === 0) {
    throw invalidField(
      'begin',
      'is required: give begin and end, a cidr, or a list of targets',
      '为必填项：请提供 begin 和 end、cidr 或 targets 地址列表',
    );
  }
  return spans;
}

function isExcluded(excludes: Span[], address: Ipv4Number): boolean {
  return excludes.some((s) => address >= s.first && address <= s.last);
}

/** Every address a scan request names, in the order given, without duplicates or exclusions.
 * Malformed input throws an invalid_field error naming the field and the value. */
export function parseScanTargets(input: ScanTargetsInput): string[] {
  const spans = includeSpans(input);
  const excludes = (input.exclude ?? []).map((e, i) => parseTargetEntry(`exclude[${i}]`, e));
  const seen = new Set<Ipv4Number>();
  for (const span of spans) {
    for (let a = span.first; a <= span.last; a++) {
      if (!isExcluded(excludes, a)) seen.add(a);
    }
    if (seen.size > MAX_SCAN_ADDRESSES) {
      throw invalidField(
        span.field,
        `the addresses to scan come to more than ${MAX_SCAN_ADDRESSES}; scan fewer at once`,
        `要扫描的地址超过 ${MAX_SCAN_ADDRESSES} 个；请分批扫描`,
      );
    }
  }
  if (seen.size === 0) {
    throw invalidField('exclude', 'leaves no address to scan', '排除后没有可扫描的地址');
  }
  return [...seen].map(numberToIpv4);
}
