import { notFound } from '../contract/errors.js';
import type { Handlers } from '../api.js';
import type { ServiceContext } from '../context.js';
import { probeHostKey } from '../ssh/host-key-probe.js';
import { createKnownHostsStore } from '../ssh/known-hosts.js';
import { acceptHostKey, type KeyProbe } from './accept.js';
import { knownHostView } from './views.js';

type HostKeyOps = 'knownHostList' | 'knownHostAccept' | 'knownHostForget';

/** The recorded SSH host keys and the engineer's decisions about them. They act on the process's
 * one known-hosts store, so an accepted key holds for the very next deploy, scan or preflight. */
export function createHostKeyHandlers(
  ctx: ServiceContext,
  probe: KeyProbe = (host, port) => probeHostKey(host, port),
): Handlers<HostKeyOps> {
  const store = createKnownHostsStore(ctx.db);
  const log = ctx.log.child({ scope: 'ssh' });
  const missing = (host: string, port: number) =>
    notFound('known host key of', '主机密钥记录', `${host}:${port}`, 'host');

  return {
    knownHostList: async ({ host }) => {
      const list = store
        .list()
        .filter((entry) => host === undefined || entry.host === host)
        .map((entry) => knownHostView(entry, store));
      return { total_count: list.length, list };
    },
    knownHostAccept: async (request) => {
      await acceptHostKey(store, request, probe, log);
      const entry = store.get(request.host, request.port);
      if (!entry) throw missing(request.host, request.port);
      return knownHostView(entry, store);
    },
    knownHostForget: async ({ host, port }) => {
      if (!store.get(host, port) && !store.changed(host, port)) throw missing(host, port);
      store.forget(host, port);
      log.warn({ host, port }, 'host key forgotten by the engineer');
      return { host, port };
    },
  };
}
