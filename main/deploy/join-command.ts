/** The parts of a `kubeadm join` line that a node needs to join. */
export interface JoinTarget {
  endpoint: string;
  token: string;
  caCertHash: string;
}

/** Reads the last `kubeadm join` command in kubeadm's output (init or token create). */
export function parseJoinCommand(output: string): JoinTarget | null {
  const text = output.replace(/\\\r?\n\s*/g, ' ');
  const lines = text.split(/\r?\n/).filter((l) => /kubeadm join\s/.test(l));
  const line = lines.at(-1);
  if (!line) return null;
  const endpoint = /kubeadm join\s+(\S+)/.exec(line)?.[1];
  const token = /--token\s+([a-z0-9]{6}\.[a-z0-9]{16})\b/.exec(line)?.[1];
  const caCertHash = /--discovery-token-ca-cert-hash\s+(sha256:[0-9a-f]{64})\b/.exec(line)?.[1];
  if (!endpoint || !token || !caCertHash) return null;
  return { endpoint, token, caCertHash };
}
