import { CERTS_DIR, renderRegistryHosts } from '../deploy/containerd-config.js';
import { writeHostFiles, type HostFile } from '../deploy/host-files.js';
import type { PrivateRegistry } from '../deploy/registry.js';
import type { Remote } from '../deploy/remote.js';
import { shellQuote } from '../ssh/quote.js';
import { certificateMarkers } from './ca-cert.js';

/** A system trust store: where extra anchors go, the command that rebuilds the bundle from them,
 * and the bundle itself (what curl, Go programs and containerd read). */
interface TrustStore {
  name: string;
  /** Shell test that picks this store; the first that passes wins. */
  detect: string;
  anchors: string;
  update: string;
  bundle: string;
}

const TRUST_STORES: TrustStore[] = [
  {
    name: 'ca-trust',
    detect: 'command -v update-ca-trust && [ -d /etc/pki/ca-trust/source/anchors ]',
    anchors: '/etc/pki/ca-trust/source/anchors',
    update: 'update-ca-trust extract',
    bundle: '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  },
  {
    name: 'pki-trust',
    detect: 'command -v update-ca-certificates && [ -d /etc/pki/trust/anchors ]',
    anchors: '/etc/pki/trust/anchors',
    update: 'update-ca-certificates',
    bundle: '/var/lib/ca-certificates/ca-bundle.pem',
  },
  {
    name: 'ca-certificates',
    detect: 'command -v update-ca-certificates',
    anchors: '/usr/local/share/ca-certificates',
    update: 'update-ca-certificates',
    bundle: '/etc/ssl/certs/ca-certificates.crt',
  },
];

/** What distributing did on one host. */
export interface NodeCaOutcome {
  written: string[];
  trustStore: string | null;
  trustUpdated: boolean;
  containerdRestarted: boolean;
}

/** Shell lines that set missing=1 unless the file (a quoted shell word) holds every marker. */
const anyMissing = (markers: string[], file: string): string =>
  markers.map((m) => `grep -qxF -- ${shellQuote(m)} ${file} 2>/dev/null || missing=1`).join('\n');

/** Prints "<store name or none> <1 when the bundle already holds every certificate, else 0>". */
function detectScript(markers: string[]): string {
  const branches = TRUST_STORES.map(
    (s, i) =>
      `${i === 0 ? 'if' : 'elif'} { ${s.detect}; } >/dev/null 2>&1; then store=${s.name}; bundle=${shellQuote(s.bundle)}`,
  );
  return `${branches.join('\n')}
else store=none; bundle=''; fi
missing=0
if [ -n "$bundle" ]; then
${anyMissing(markers, '"$bundle"')}
fi
echo "$store $((1 - missing))"
`;
}

/** The anchor's file name: the registry host made safe for every store's tools (".crt" is what
 * update-ca-certificates looks for). */
const anchorName = (host: string): string =>
  `topke-registry-${host.replace(/[^A-Za-z0-9.-]/g, '_')}.crt`;

/** containerd's view of the registry: certs.d/<host>/ca.crt and the hosts.toml that points at it,
 * exactly as a deploy with this registry writes them. */
function containerdFiles(registry: PrivateRegistry): HostFile[] {
  const own = `${CERTS_DIR}/${registry.host}/`;
  return Object.entries(renderRegistryHosts(registry))
    .filter(([path]) => path.startsWith(own))
    .map(([path, content]) => ({ path, content, mode: 0o644 }));
}

/** Rebuilds the trust bundle and checks that it now holds the certificate (when a store is
 * given), then restarts containerd where it runs; a host without it is left as it is. */
function refreshScript(store: TrustStore | null, markers: string[]): string {
  const lines = ['set -e'];
  if (store)
    lines.push(
      `${store.update} >/dev/null`,
      'missing=0',
      anyMissing(markers, shellQuote(store.bundle)),
      `if [ "$missing" = 1 ]; then echo "${store.update} ran, but ${store.bundle} does not hold the certificate" >&2; exit 4; fi`,
      `echo "trust store updated: ${store.bundle}"`,
    );
  lines.push(
    'if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet containerd; then',
    '  systemctl restart containerd && echo "containerd restarted"',
    'else echo "containerd is not running here: nothing to restart"; fi',
  );
  return `${lines.join('\n')}\n`;
}

async function findTrustStore(
  remote: Remote,
  markers: string[],
): Promise<{ store: TrustStore | null; trusted: boolean }> {
  const found = await remote.run('sh -s', {
    stdin: detectScript(markers),
    label: 'find the system trust store',
  });
  // The last line: under sudo with requiretty the terminal may print before the script does.
  const [, name, trusted] =
    /^(\S+) ([01])\s*$/m.exec(found.stdout.trim().split('\n').pop() ?? '') ?? [];
  const store = TRUST_STORES.find((s) => s.name === name) ?? null;
  if (!store) remote.output.add('no system trust store tool here: only containerd gets the CA');
  return { store, trusted: trusted === '1' };
}

/** Rebuilds the trust bundle (when asked) and restarts containerd if it runs; true once
 * containerd was restarted. */
async function refresh(
  remote: Remote,
  store: TrustStore | null,
  markers: string[],
): Promise<boolean> {
  const result = await remote.run('sh -s', {
    stdin: refreshScript(store, markers),
    label: `${store ? `${store.update}, ` : ''}restart containerd`,
  });
  return /^containerd restarted$/m.test(result.stdout);
}

/** Puts the registry's CA where containerd (certs.d) and the system's tools (the trust store)
 * read it; rebuilds the trust bundle and restarts containerd only when something changed, so a
 * second run changes nothing. */
export async function placeRegistryCa(
  remote: Remote,
  registry: PrivateRegistry,
): Promise<NodeCaOutcome> {
  const markers = certificateMarkers(registry.caCert);
  const { store, trusted } = await findTrustStore(remote, markers);

  const files = containerdFiles(registry);
  const anchor = store ? `${store.anchors}/${anchorName(registry.host)}` : null;
  if (anchor) files.push({ path: anchor, content: registry.caCert, mode: 0o644 });
  const written = await writeHostFiles(remote, files);

  const trustUpdated = store !== null && (written.includes(anchor!) || !trusted);
  const changed = written.length > 0 || trustUpdated;
  if (!changed) remote.output.add('the CA is in place already: nothing changed');
  const containerdRestarted =
    changed && (await refresh(remote, trustUpdated ? store : null, markers));
  return { written, trustStore: store?.name ?? null, trustUpdated, containerdRestarted };
}
