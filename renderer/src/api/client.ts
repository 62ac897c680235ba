import type { ProgressEvent, TopkeApi } from '../../../main/contract/operations.js';

/** The one way the renderer reaches the services, in the desktop window and in a browser alike.
 * Every operation rejects with an ApiError. */
export interface TopkeClient {
  api: TopkeApi;
  /** Calls `listener` for every progress event until the returned function is called. */
  onProgress(listener: (event: ProgressEvent) => void): () => void;
  /** Where a picked or dropped file lives on disk: known in the desktop app, '' in a browser. */
  pathForFile(file: File): string;
}

export type { ProgressEvent, TopkeApi };
