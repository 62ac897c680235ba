import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext } from '../../main/context.js';
import { createServices } from '../../main/api.js';
import { OPERATIONS } from '../../main/contract/operations.js';
import type { BridgeAnswer } from '../../main/electron/bridge.js';
import { forwardProgress, registerIpcHandlers, type IpcMainLike } from '../../main/electron/ipc.js';

type Listener = Parameters<IpcMainLike['handle']>[1];

/** Stands in for Electron's ipcMain: keeps the handlers so the test can invoke them as a window would. */
class IpcStandIn implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    this.handlers.set(channel, listener);
  }
  invoke(channel: string, url: string, input: unknown): Promise<BridgeAnswer> {
    return this.handlers.get(channel)!({ senderFrame: { url } }, input);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'topke-ipc-'));
const ctx = createContext(dir, { logToFile: false });
const services = createServices(ctx);
afterAll(async () => {
  await services.close();
  ctx.db.close();
  rmSync(dir, { recursive: true, force: true });
});

const APP = 'file:///app/renderer/index.html';

describe('IPC glue', () => {
  const ipc = new IpcStandIn();
  registerIpcHandlers(ipc, services.api, (url) => url === APP);

  it('registers one channel per operation of the contract', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(
      Object.keys(OPERATIONS)
        .map((n) => `topke:${n}`)
        .sort(),
    );
  });

  it('refuses a call from another page', async () => {
    const answer = await ipc.invoke('topke:clusterList', 'https://evil.example/', {});
    expect(answer).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('keeps the code and field of an expected failure across the bridge', async () => {
    const answer = await ipc.invoke('topke:vipTest', APP, { vip: 'x', port: 8443 });
    expect(answer).toEqual({
      ok: false,
      error: {
        code: 'invalid_field',
        field: 'vip',
        message: 'vip: is not an IPv4 address (got x)',
        messageCn: 'vip：不是有效的 IPv4 地址（实际为 x）',
      },
    });
  });

  it('forwards progress until the window is gone', () => {
    const sent: unknown[] = [];
    let destroyed = false;
    forwardProgress(ctx.events, { send: (_c, p) => sent.push(p), isDestroyed: () => destroyed });
    ctx.events.emit({ kind: 'log', uuid: 'a', line: 'one' });
    destroyed = true;
    ctx.events.emit({ kind: 'log', uuid: 'a', line: 'two' });
    ctx.events.emit({ kind: 'log', uuid: 'a', line: 'three' });
    expect(sent).toEqual([{ kind: 'log', uuid: 'a', line: 'one' }]);
  });
});
