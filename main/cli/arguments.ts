import { invalidField, TopkeError } from '../contract/errors.js';

/** For each command, the request fields its arguments and options fill, by the name USAGE gives
 * them: an error about `uuid` is about the UUID the engineer typed, and says so. */
const NAMES: Record<string, Record<string, string>> = {
  scan: {
    begin: 'BEGIN',
    end: 'END',
    targets: 'TARGET',
    exclude: '--exclude',
    ssh_ports: '--ssh-ports',
    'ssh.user': '--user',
    'ssh.password': '--password',
    'ssh.private_key': '--key',
    'ssh.port': '--ssh-port',
  },
  'vip-test': { vip: 'VIP', port: 'PORT' },
  node: {
    uuid: 'UUID',
    node_list: 'IP',
    'node_list[].IP': 'IP',
    'node_list[].NodeName': '--name',
    'ssh.user': '--user',
    'ssh.password': '--password',
    'ssh.private_key': '--key',
    'ssh.port': '--ssh-port',
  },
  status: { uuid: 'UUID', deploy_id: '--deploy' },
  deploys: { uuid: 'UUID' },
  list: { tenant_uuid: '--tenant' },
  get: { uuid: 'UUID' },
  delete: { uuid: 'UUID' },
  import: {
    kube_config_data: 'FILE',
    Name: '--name',
    tenant_uuid: '--tenant',
    contexts: '--context',
    allow_exec: '--allow-exec',
  },
  registry: {
    address: 'ADDRESS',
    project: '--project',
    user: '--user',
    password: 'TOPKE_REGISTRY_PASSWORD',
    ca_cert: '--ca',
    registry_uuid: 'UUID',
    'registry.registry_uuid': 'REGISTRY_UUID',
    clusters: 'CLUSTER_UUID',
  },
};

/** The positional arguments each command takes, as USAGE names them (scan: any number). */
const POSITIONALS: Record<string, string[]> = {
  serve: [],
  'vip-test': ['VIP', 'PORT'],
  deploy: ['PLAN.json'],
  node: ['add', 'UUID', 'IP[,IP...]'],
  status: ['UUID'],
  deploys: ['UUID'],
  list: [],
  get: ['UUID'],
  import: ['FILE'],
  delete: ['UUID'],
  // registry distribute takes REGISTRY_UUID and any number of CLUSTER_UUIDs.
  'registry add': ['ADDRESS'],
  'registry list': [],
  'registry update': ['UUID'],
  'registry delete': ['UUID'],
};

/** The command-line name of a request field: the field itself or an entry of it (`targets[2]`),
 * never a field inside a file the command read (a kubeconfig's `contexts["a"]`). */
function cliName(cmd: string, field: string): string | undefined {
  const names = NAMES[cmd] ?? {};
  const base = /^(.*?)(\[\d+\])?$/.exec(field)![1]!;
  // A field inside a list's entry (node_list[1].IP) is named as every entry's is.
  return names[base] ?? names[field.replace(/\[\d+\]/g, '[]')];
}

/** The error as the command line says it: the field named as USAGE names it, in the envelope's
 * field and at the start of both messages. */
export function withCliNames(cmd: string, err: TopkeError): TopkeError {
  const name = err.field && cliName(cmd, err.field);
  if (!name || !err.field) return err;
  const field = err.field;
  const swap = (text: string, colon: string) =>
    text.startsWith(`${field}${colon}`) ? `${name}${colon}${text.slice(field.length + 1)}` : text;
  return new TopkeError({
    code: err.code,
    field: name,
    message: swap(err.message, ':'),
    messageCn: swap(err.messageCn, '：'),
    details: err.details,
  });
}

/** Refuses words after the last argument a command takes: `topke delete A B` must not quietly
 * delete A only. */
export function refuseExtraArguments(cmd: string, words: string[]): void {
  const takes = POSITIONALS[cmd];
  if (!takes || words.length <= takes.length) return;
  const extra = words.slice(takes.length).join(' ');
  const [en, cn] = takes.length
    ? [`takes ${takes.join(' ')} only`, `只接受 ${takes.join(' ')}`]
    : ['takes no arguments', '不接受参数'];
  throw invalidField(
    '(arguments)',
    `topke ${cmd} ${en}; "${extra}" is more than it takes`,
    `topke ${cmd} ${cn}，多出了 “${extra}”`,
  );
}
