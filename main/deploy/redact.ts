/** Bootstrap tokens as kubeadm prints them ("abcdef.0123456789abcdef"). */
const BOOTSTRAP_TOKEN = /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g;
/** `--certificate-key <64 hex>` and kubeadm's "Using certificate key:" line. */
const CERTIFICATE_KEY = /(certificate[- ]key:?\s+)[0-9a-f]{64}/gi;

export type Redactor = (text: string) => string;

/** Hides the given secret values, bootstrap tokens and certificate keys in text that is about to
 * be stored, logged or shown. Secrets shorter than 4 characters are not searched for: they would
 * blank out ordinary words. */
export function createRedactor(secrets: Array<string | undefined>): Redactor {
  const known = [...new Set(secrets.filter((s): s is string => !!s && s.length >= 4))].sort(
    (a, b) => b.length - a.length,
  );
  return (text) => {
    let out = text;
    for (const secret of known) out = out.split(secret).join('[secret]');
    return out.replace(BOOTSTRAP_TOKEN, '[token]').replace(CERTIFICATE_KEY, '$1[secret]');
  };
}
