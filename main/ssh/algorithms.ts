import type {
  AlgorithmList,
  Algorithms,
  CipherAlgorithm,
  KexAlgorithm,
  MacAlgorithm,
  ServerHostKeyAlgorithm,
} from 'ssh2';

/** ssh2's list form that keeps its defaults and adds to the end. */
function appended<T>(names: T[]): AlgorithmList<T> {
  return { append: names, prepend: [], remove: [] };
}

/** Offered only to hosts opted in: SHA-1 key exchange, CBC ciphers, DSA host keys, MD5 MACs.
 * ssh2 already falls back to ssh-rsa (SHA-1) signatures for servers that announce nothing else. */
export const LEGACY_ALGORITHMS: Algorithms = {
  kex: appended<KexAlgorithm>([
    'diffie-hellman-group-exchange-sha1',
    'diffie-hellman-group14-sha1',
    'diffie-hellman-group1-sha1',
  ]),
  serverHostKey: appended<ServerHostKeyAlgorithm>(['ssh-dss']),
  cipher: appended<CipherAlgorithm>(['aes256-cbc', 'aes192-cbc', 'aes128-cbc', '3des-cbc']),
  hmac: appended<MacAlgorithm>(['hmac-sha1-96', 'hmac-md5', 'hmac-md5-96']),
};

export interface AlgorithmMismatch {
  category: string;
  client: string[];
  server: string[];
}

/** Names in the KEX list that announce protocol extensions rather than name an algorithm. */
function isMarker(name: string): boolean {
  return name.startsWith('ext-info-') || name.startsWith('kex-strict-');
}

const NEGOTIATION_LINE = /^Handshake: \((local|remote)\) (.+?): (.*)$/;

/** Keeps both sides' algorithm lists from ssh2's handshake trace. ssh2 traces each category's two
 * lists just before checking them, so on a failed handshake the last category traced is the one
 * without a common algorithm. */
export class NegotiationTrace {
  private category = '';
  private readonly lists = new Map<string, { local: string[]; remote: string[] }>();

  readonly record = (line: string): void => {
    const match = NEGOTIATION_LINE.exec(line);
    if (!match) return;
    const [, side, category, names] = match as unknown as [
      string,
      'local' | 'remote',
      string,
      string,
    ];
    const entry = this.lists.get(category) ?? { local: [], remote: [] };
    entry[side] = names.split(',').filter((name) => name && !isMarker(name));
    this.lists.set(category, entry);
    this.category = category;
  };

  /** The category that has no algorithm in common, if the trace shows one. */
  mismatch(): AlgorithmMismatch | undefined {
    const entry = this.lists.get(this.category);
    if (!entry || entry.remote.length === 0) return undefined;
    if (entry.local.some((name) => entry.remote.includes(name))) return undefined;
    return { category: this.category, client: entry.local, server: entry.remote };
  }
}
