import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of the test's stand-ins for commands a real node has (systemctl, modprobe, sysctl)
 * and for the Kubernetes binaries a bundle ships (kubeadm, kubelet, kubectl, containerd, ctr). */
export function standinDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'standins');
}
