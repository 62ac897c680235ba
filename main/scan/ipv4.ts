import ipaddr from 'ipaddr.js';
import { invalidField } from '../contract/errors.js';
import { fullWidthProblem } from '../contract/full-width.js';

/** IPv4 addresses as unsigned 32-bit numbers, so ranges are plain arithmetic. */
export type Ipv4Number = number;

export function ipv4ToNumber(text: string): Ipv4Number {
  const [a = 0, b = 0, c = 0, d = 0] = ipaddr.IPv4.parse(text).toByteArray();
  return ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
}

export function numberToIpv4(value: Ipv4Number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

function rejectIpv6(field: string, text: string): void {
  if (text.includes(':') && ipaddr.IPv6.isValid(text.replace(/\/\d+$/, ''))) {
    throw invalidField(
      field,
      `"${text}" is an IPv6 address; only IPv4 is supported`,
      `“${text}” 是 IPv6 地址；目前只支持 IPv4`,
    );
  }
}

/** Says which part of a would-be dotted quad is wrong, so the engineer can spot the typo. */
function octetProblem(field: string, text: string): Error {
  const wide = fullWidthProblem(text);
  if (wide)
    return invalidField(
      field,
      `"${text}" is not an IPv4 address: ${wide[0]}`,
      `“${text}” 不是有效的 IPv4 地址：${wide[1]}`,
    );
  const parts = text.split('.');
  if (parts.length !== 4) {
    return invalidField(
      field,
      `"${text}" is not an IPv4 address: it needs four numbers separated by dots`,
      `“${text}” 不是有效的 IPv4 地址：应为以点分隔的四个数字`,
    );
  }
  for (const part of parts) {
    if (!/^\d+$/.test(part)) {
      return invalidField(
        field,
        `"${text}" is not an IPv4 address: "${part}" is not a number`,
        `“${text}” 不是有效的 IPv4 地址：“${part}” 不是数字`,
      );
    }
    if (Number(part) > 255) {
      return invalidField(
        field,
        `"${text}" is not an IPv4 address: ${part} is larger than 255`,
        `“${text}” 不是有效的 IPv4 地址：${part} 大于 255`,
      );
    }
  }
  return invalidField(
    field,
    `"${text}" is not an IPv4 address: an octet has a leading zero`,
    `“${text}” 不是有效的 IPv4 地址：某段数字以 0 开头`,
  );
}

/** Parses a strict dotted-quad IPv4 address; anything else is an error naming the field. */
export function parseIpv4(field: string, raw: string): Ipv4Number {
  const text = raw.trim();
  if (text === '') throw invalidField(field, 'must not be empty', '不能为空');
  rejectIpv6(field, text);
  if (!ipaddr.IPv4.isValidFourPartDecimal(text)) throw octetProblem(field, text);
  return ipv4ToNumber(text);
}

export { rejectIpv6 };
