import type { OperationInput } from '../../../../main/contract/operations.js';
import { sshCredentials } from '../../wizard/build-request.js';
import type { SshForm } from '../../wizard/form.js';

/** One worker to add: its address and, optionally, its node name. */
export interface NodeRow {
  ip: string;
  name: string;
}

/** The node create request from the dialog: the rows with an address, each with its name if one
 * was given; the login typed in, or none, so that the cluster's own is used. */
export function nodeCreateRequest(
  uuid: string,
  rows: NodeRow[],
  ssh: SshForm | null,
): OperationInput<'nodeCreate'> {
  const node_list = rows
    .filter((r) => r.ip.trim())
    .map((r) => ({ IP: r.ip.trim(), ...(r.name.trim() ? { NodeName: r.name.trim() } : {}) }));
  return { uuid, node_list, ...(ssh ? { ssh: sshCredentials(ssh) } : {}) };
}

/** Empties the secrets of a login form once they were sent or are no longer wanted. */
export function forgetSecrets(ssh: SshForm): void {
  ssh.password = '';
  ssh.privateKey = '';
  ssh.passphrase = '';
  ssh.sudoPassword = '';
}
