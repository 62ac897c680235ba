import { TopkeError } from '../contract/errors.js';
import type { Logger } from '../log.js';
import type { HostKeyInfo } from '../ssh/host-key.js';
import type { KnownHostsStore } from '../ssh/types.js';

export interface AcceptRequest {
  host: string;
  port: number;
  /** The fingerprint the engineer was shown. */
  fingerprint: string;
}

/** Reads the key a host presents now (main/ssh/host-key-probe.ts in the product). */
export type KeyProbe = (host: string, port: number) => Promise<HostKeyInfo>;

/** Trusts the key the engineer was shown, and only that one: the key to record is the different
 * key this process last saw from the host, or else the key the host presents now; when its
 * fingerprint is not the one given, nothing is recorded. */
export async function acceptHostKey(
  store: KnownHostsStore,
  request: AcceptRequest,
  probe: KeyProbe,
  log: Logger,
): Promise<void> {
  const { host, port, fingerprint } = request;
  const recorded = store.get(host, port);
  const changed = store.changed(host, port);
  if (!changed && recorded?.fingerprint === fingerprint) return;

  const current = changed ?? (await presentedKey(request, probe));
  if (current.fingerprint !== fingerprint) throw notTheKeyShown(request, current);
  store.remember(host, port, current.keyType, current.fingerprint);
  log.warn(
    { host, port, keyType: current.keyType, fingerprint, replaced: recorded?.fingerprint },
    'host key accepted by the engineer',
  );
}

async function presentedKey(request: AcceptRequest, probe: KeyProbe): Promise<HostKeyInfo> {
  try {
    return await probe(request.host, request.port);
  } catch (err) {
    const inner = err instanceof TopkeError ? err : undefined;
    const where = `${request.host}:${request.port}`;
    throw new TopkeError({
      code: inner?.code ?? 'unreachable',
      field: 'host',
      message:
        `host: the key ${where} presents could not be read to confirm it, so nothing was ` +
        `accepted (${inner?.message ?? String(err)}). Try again when the host can be reached.`,
      messageCn:
        `host：无法读取 ${where} 当前的主机密钥以进行核对，因此未接受任何密钥` +
        `（${inner?.messageCn ?? String(err)}）。请在主机可连接时重试。`,
      details: inner?.details,
    });
  }
}

function notTheKeyShown(request: AcceptRequest, current: HostKeyInfo): TopkeError {
  const where = `${request.host}:${request.port}`;
  return new TopkeError({
    code: 'conflict',
    field: 'fingerprint',
    message:
      `fingerprint: ${where} presents ${current.keyType} ${current.fingerprint}, not ` +
      `${request.fingerprint}; nothing was accepted. The key may have changed since it was shown: ` +
      'check the new fingerprint on the host before accepting it.',
    messageCn:
      `fingerprint：${where} 当前的密钥为 ${current.keyType} ${current.fingerprint}，而不是 ` +
      `${request.fingerprint}；未接受任何密钥。密钥可能在显示之后又发生了变化：请在主机上核对新指纹后再接受。`,
    details: { host: request.host, port: request.port, ...current, given: request.fingerprint },
  });
}
