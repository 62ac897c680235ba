import ipaddr from 'ipaddr.js';
import { DEFAULT_POD_CIDR, DEFAULT_SERVICE_CIDR } from './defaults.js';
import { invalidField, type TopkeError } from './errors.js';

/** Two IPv4 CIDR blocks share addresses: blocks are either nested or apart, so they overlap
 * when one holds the other's address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const [x, y] = [ipaddr.IPv4.parseCIDR(a), ipaddr.IPv4.parseCIDR(b)];
  return x[0].match(y) || y[0].match(x);
}

/** Why the pod and service networks (valid CIDRs, defaults filled in) cannot both be used, or
 * null. The field blamed is the one the engineer set, when the other was left to its default. */
export function overlappingCidrs(pod: string, svc: string): TopkeError | null {
  if (!cidrsOverlap(pod, svc)) return null;
  const field =
    svc === DEFAULT_SERVICE_CIDR && pod !== DEFAULT_POD_CIDR ? 'PodCidr' : 'ServicePodCidr';
  return invalidField(
    field,
    `PodCidr ${pod} overlaps ServicePodCidr ${svc}: pods and services need networks of their own`,
    `PodCidr ${pod} 与 ServicePodCidr ${svc} 重叠：容器组网段和服务网段不能有交集`,
  );
}
