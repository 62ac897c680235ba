import { DNS_SUBDOMAIN } from '../contract/dns-name.js';
import { invalidField } from '../contract/errors.js';
import { fullWidthProblem } from '../contract/full-width.js';

export type RegistryScheme = 'https' | 'http';

const SHAPE = /^(?:(https?):\/\/)?([^/:]*)(?::([^/]*))?\/?$/i;
const DEFAULT_PORT: Record<RegistryScheme, string> = { https: '443', http: '80' };

function badAddress(field: string, why: [string, string] | null): Error {
  const [en, cn] = why ? [`: ${why[0]}`, `：${why[1]}`] : ['', ''];
  return invalidField(
    field,
    `must be a registry address such as https://10.0.0.5 or reg.local:5000${en}`,
    `应为镜像仓库地址，例如 https://10.0.0.5 或 reg.local:5000${cn}`,
  );
}

function checkedPort(field: string, port: string | undefined): void {
  if (port === undefined) return;
  const n = /^\d{1,5}$/.test(port) ? Number(port) : NaN;
  if (n >= 1 && n <= 65535) return;
  throw badAddress(field, [
    `port "${port}" is not a port number from 1 to 65535`,
    `端口 “${port}” 无效，应为 1 到 65535 之间的数字`,
  ]);
}

/** A registry address split into scheme and host[:port], in the one form containerd looks up
 * (certs.d/<host[:port]>): the host in lower case, the scheme's default port left out. Without a
 * scheme it is https. */
export function splitAddress(
  address: string,
  field: string,
): { scheme: RegistryScheme; host: string } {
  const text = address.trim();
  const wide = fullWidthProblem(text);
  if (wide) throw badAddress(field, wide);
  const m = SHAPE.exec(text);
  const name = m?.[2]?.toLowerCase() ?? '';
  if (!m || !DNS_SUBDOMAIN.test(name)) throw badAddress(field, null);
  const scheme: RegistryScheme = m[1]?.toLowerCase() === 'http' ? 'http' : 'https';
  const port = m[3];
  checkedPort(field, port);
  const kept = port === undefined || Number(port) === Number(DEFAULT_PORT[scheme]) ? '' : port;
  return { scheme, host: kept ? `${name}:${Number(kept)}` : name };
}

/** The address as stored and shown: scheme://host[:port], normalised as splitAddress does. */
export function normalAddress(address: string, field: string): string {
  const { scheme, host } = splitAddress(address, field);
  return `${scheme}://${host}`;
}
