import { createParser } from 'eventsource-parser';
import type { ProgressEvent } from '../../../main/contract/operations.js';

// EventSource cannot send an Authorization header, so the stream is read with fetch. One stream
// is shared by every listener; it reconnects after a drop and closes when the last one leaves.
type Listener = (event: ProgressEvent) => void;

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10_000;

function parseEvent(data: string): ProgressEvent | null {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null && 'kind' in value
      ? (value as ProgressEvent)
      : null;
  } catch {
    return null;
  }
}

async function readStream(
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  emit: (event: ProgressEvent) => void,
): Promise<void> {
  const response = await fetch(url, { headers, signal, cache: 'no-store' });
  if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}`);
  const parser = createParser({
    onEvent: (message) => {
      const event = parseEvent(message.data);
      if (event) emit(event);
    },
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    parser.feed(value);
  }
}

function waitOrAbort(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** One shared progress stream: `subscribe(listener)` returns the unsubscribe. */
export function createProgressStream(
  url: string,
  headers: Record<string, string>,
): (listener: Listener) => () => void {
  const listeners = new Set<Listener>();
  let controller: AbortController | null = null;

  async function run(signal: AbortSignal): Promise<void> {
    let delay = RETRY_MIN_MS;
    while (!signal.aborted) {
      try {
        await readStream(url, headers, signal, (event) => {
          delay = RETRY_MIN_MS;
          for (const listener of listeners) listener(event);
        });
      } catch {
        // A dropped stream is retried below; the status polling of each view covers the gap.
      }
      await waitOrAbort(delay, signal);
      delay = Math.min(delay * 2, RETRY_MAX_MS);
    }
  }

  return (listener: Listener): (() => void) => {
    listeners.add(listener);
    if (!controller) {
      controller = new AbortController();
      void run(controller.signal);
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && controller) {
        controller.abort();
        controller = null;
      }
    };
  };
}
