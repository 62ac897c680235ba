/** An RFC 1123 subdomain: dot-separated labels of lower-case letters, digits and "-", each
 * starting and ending with a letter or digit. Kubernetes requires it of node names; a registry's
 * host (an IPv4 address included) is one once lower-cased. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
