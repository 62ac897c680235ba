import type { ProgressEvent, TopkeApi } from '../contract/operations.js';

/** What an IPC call answers: the result, or an expected failure that keeps its code and field. */
export type BridgeAnswer =
  | { ok: true; data: unknown }
  | {
      ok: false;
      error: {
        code: string;
        field?: string;
        message: string;
        messageCn: string;
        details?: unknown;
      };
    };

/** What the preload exposes as `window.topke`. */
export interface TopkeBridge {
  api: TopkeApi;
  /** Returns the function that unsubscribes. */
  onProgress(listener: (event: ProgressEvent) => void): () => void;
  /** The path on disk of a file the engineer picked or dropped (a DOM File), so that a kubeconfig's
   * relative certificate paths can be resolved; '' when it has none. */
  pathForFile(file: object): string;
}
