/**
 * The renderer's API clients in plain Node: the HTTP client against the real HTTP transport and
 * services (envelope, errors with code, field and both languages, token refusal, progress over
 * server-sent events), the bridge client against a preload-shaped bridge, the token hand-over.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../main/context.js';
import { OPERATIONS, type ProgressEvent } from '../../main/contract/operations.js';
import type { TopkeBridge } from '../../main/electron/bridge.js';
import { serveProduct, type ServedProduct } from '../support/http-api.js';

// The renderer gets the routes from the build (vite's define); here they come from the same table.
(globalThis as Record<string, unknown>).__TOPKE_ROUTES__ = Object.fromEntries(
  Object.entries(OPERATIONS).map(([name, op]) => [name, { path: op.path, methods: op.methods }]),
);
const { createHttpClient } = await import('../../renderer/src/api/http-client.js');
const { createBridgeClient } = await import('../../renderer/src/api/bridge-client.js');
const { ApiError } = await import('../../renderer/src/api/api-error.js');
const { takeApiToken } = await import('../../renderer/src/api/token.js');

const TOKEN = 'client-test-token-42';

function failure(err: unknown) {
  expect(err).toBeInstanceOf(ApiError);
  const e = err as InstanceType<typeof ApiError>;
  return { code: e.code, field: e.field, message: e.message, messageCn: e.messageCn };
}

describe('HTTP client against topke serve', () => {
  let served: ServedProduct;
  let ctx: ServiceContext;
  let base: string;

  beforeAll(async () => {
    served = await serveProduct(TOKEN);
    ({ ctx } = served);
    base = served.http.base;
  });

  afterAll(() => served.discard());

  it('answers the result out of the envelope, without its Status', async () => {
    const client = createHttpClient({ baseUrl: base, token: TOKEN });
    const list = await client.api.clusterList({});
    expect(list).toEqual({ total_count: 0, list: [] });
  });

  it('keeps the code, the field and both sentences of a refusal', async () => {
    const client = createHttpClient({ baseUrl: base, token: TOKEN });
    const err = await client.api.vipTest({ vip: '198.18.60.99', port: 6443 }).catch((e) => e);
    const f = failure(err);
    expect(f.code).toBe('invalid_field');
    expect(f.field).toBe('port');
    expect(f.message).toContain('must not be 6443');
    expect(f.messageCn).toContain('不能使用 6443');
  });

  it('reports a refused token once to the app, as "unauthorized"', async () => {
    let refused = 0;
    const client = createHttpClient({
      baseUrl: base,
      token: 'wrong',
      onUnauthorized: () => refused++,
    });
    const err = await client.api.clusterList({}).catch((e) => e);
    expect(failure(err).code).toBe('unauthorized');
    expect(refused).toBe(1);
  });

  it('says when the service cannot be reached at all', async () => {
    const client = createHttpClient({ baseUrl: 'http://127.0.0.1:1', token: TOKEN });
    const err = await client.api.clusterList({}).catch((e) => e);
    expect(failure(err).code).toBe('network');
  });

  it('delivers progress events to every listener until each unsubscribes', async () => {
    const client = createHttpClient({ baseUrl: base, token: TOKEN });
    const first: ProgressEvent[] = [];
    const second: ProgressEvent[] = [];
    const stopFirst = client.onProgress((e) => first.push(e));
    const stopSecond = client.onProgress((e) => second.push(e));
    const event: ProgressEvent = {
      kind: 'scan',
      scan_uuid: '5ca9e000-0000-4000-8000-000000000001',
      done: 3,
      total: 10,
      found: 1,
      retrying: 0,
      unprobed: 0,
    };
    // The stream connects in the background: emit until the first listener hears it.
    await expect
      .poll(() => (ctx.events.emit(event), first.length), { timeout: 5000 })
      .toBeGreaterThan(0);
    expect(first[0]).toEqual(event);
    expect(second[0]).toEqual(event);
    stopFirst();
    const heard = first.length;
    ctx.events.emit({ ...event, done: 4 });
    await expect
      .poll(() => second.at(-1)?.kind === 'scan' && (second.at(-1) as typeof event).done)
      .toBe(4);
    expect(first.length).toBe(heard);
    stopSecond();
  });
});

describe('HTTP client file paths', () => {
  it('knows no file path in a browser, so relative certificate paths are refused by the service', () => {
    const client = createHttpClient({ baseUrl: 'http://127.0.0.1:9', token: TOKEN });
    expect(client.pathForFile({ name: 'x' } as unknown as File)).toBe('');
  });
});

describe('bridge client (the desktop window)', () => {
  function bridge(call: (input: unknown) => Promise<unknown>): TopkeBridge {
    const api = Object.fromEntries(Object.keys(OPERATIONS).map((name) => [name, call]));
    return {
      api: api as unknown as TopkeBridge['api'],
      onProgress: () => () => undefined,
      pathForFile: (file) => `/home/engineer/${(file as { name: string }).name}`,
    };
  }

  it('asks the desktop bridge where a picked file lives, which a browser cannot say', () => {
    const client = createBridgeClient(bridge(async () => null));
    const file = { name: 'prod.kubeconfig' } as unknown as File;
    expect(client.pathForFile(file)).toBe('/home/engineer/prod.kubeconfig');
  });

  it('exposes every operation of the contract and passes results through', async () => {
    const client = createBridgeClient(bridge(async (input) => ({ echoed: input })));
    expect(Object.keys(client.api).sort()).toEqual(Object.keys(OPERATIONS).sort());
    expect(await client.api.clusterGet({ uuid: 'abcdef0123' })).toEqual({
      echoed: { uuid: 'abcdef0123' },
    });
  });

  it('turns the preload plain error data into an ApiError with all its parts', async () => {
    const details = { kind: 'host_key_changed', host: '198.18.60.11', port: 22 };
    const client = createBridgeClient(
      bridge(() =>
        Promise.reject({
          name: 'TopkeError',
          code: 'host_key_changed',
          field: 'master_list[0].IP',
          message: 'the host key changed',
          messageCn: '主机密钥已变更',
          details,
        }),
      ),
    );
    const err = await client.api.deploy({} as never).catch((e) => e);
    expect(failure(err)).toEqual({
      code: 'host_key_changed',
      field: 'master_list[0].IP',
      message: 'the host key changed',
      messageCn: '主机密钥已变更',
    });
    expect((err as InstanceType<typeof ApiError>).details).toEqual(details);
  });

  it('keeps only the message of an Error that crossed the bridge without its data', async () => {
    const client = createBridgeClient(bridge(() => Promise.reject(new Error('IPC went away'))));
    const f = failure(await client.api.clusterList({}).catch((e) => e));
    expect(f).toMatchObject({ code: 'internal', message: 'IPC went away' });
  });
});

describe('token hand-over from the address', () => {
  function fakeWindow(hash: string) {
    const data = new Map<string, string>();
    const replaced: string[] = [];
    const location = { hash, pathname: '/', search: '' } as Location;
    const history = {
      state: null,
      replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url),
    } as unknown as History;
    const storage = {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
    } as unknown as Storage;
    return { location, history, storage, replaced };
  }

  it('keeps the token for the tab and takes it out of the address bar', () => {
    const w = fakeWindow('#token=abc%2Fdef');
    expect(takeApiToken(w.location, w.history, w.storage)).toBe('abc/def');
    expect(w.replaced).toEqual(['/#/']);
    w.location.hash = '#/clusters';
    expect(takeApiToken(w.location, w.history, w.storage)).toBe('abc/def');
    expect(w.replaced).toEqual(['/#/']);
  });

  it('has no token when none was ever given', () => {
    const w = fakeWindow('#/wizard');
    expect(takeApiToken(w.location, w.history, w.storage)).toBeNull();
    expect(w.replaced).toEqual([]);
  });
});
