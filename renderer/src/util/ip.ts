const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);

/** A dotted IPv4 address such as 10.0.0.10 (the service checks again; this only guides typing). */
export function isIpv4(value: string): boolean {
  return IPV4.test(value);
}
