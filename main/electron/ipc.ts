import { publicDetails } from '../contract/envelope.js';
import { asTopkeError } from '../contract/errors.js';
import { OPERATIONS, type OperationName, type TopkeApi } from '../contract/operations.js';
import type { ProgressBus } from '../events.js';
import type { BridgeAnswer } from './bridge.js';

/** The parts of Electron the IPC glue needs; passed in so that it can be tested without Electron. */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (
      event: { senderFrame: { url: string } | null },
      input: unknown,
    ) => Promise<BridgeAnswer>,
  ): void;
}

export interface WebContentsLike {
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
}

/** Registers one handler per operation; a call from any page but the app's own is refused. */
export function registerIpcHandlers(
  ipc: IpcMainLike,
  api: TopkeApi,
  isAppUrl: (url: string) => boolean,
): void {
  for (const name of Object.keys(OPERATIONS) as OperationName[]) {
    ipc.handle(`topke:${name}`, async (event, input) => {
      if (!event.senderFrame || !isAppUrl(event.senderFrame.url)) {
        return {
          ok: false,
          error: {
            code: 'unauthorized',
            message: 'IPC from an unknown page',
            messageCn: '来自未知页面的 IPC 调用',
          },
        };
      }
      try {
        return { ok: true, data: await (api[name] as (i: unknown) => Promise<unknown>)(input) };
      } catch (err) {
        const e = asTopkeError(err);
        const error: Extract<BridgeAnswer, { ok: false }>['error'] = {
          code: e.code,
          message: e.message,
          messageCn: e.messageCn,
        };
        if (e.field) error.field = e.field;
        const details = publicDetails(e);
        if (details !== undefined) error.details = details;
        return { ok: false, error };
      }
    });
  }
}

/** Forwards progress events to the window until it closes; returns the unsubscribe. */
export function forwardProgress(events: ProgressBus, contents: WebContentsLike): () => void {
  const stop = events.subscribe((event) => {
    if (contents.isDestroyed()) return stop();
    contents.send('topke:progress', event);
  });
  return stop;
}
