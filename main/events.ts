import { EventEmitter } from 'node:events';
import type { ProgressEvent } from './contract/operations.js';

/** Progress of long work (scans, deploys), fanned out to every transport that listens. */
export class ProgressBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  emit(event: ProgressEvent): void {
    this.emitter.emit('progress', event);
  }

  /** Returns the function that stops listening. */
  subscribe(listener: (event: ProgressEvent) => void): () => void {
    this.emitter.on('progress', listener);
    return () => this.emitter.off('progress', listener);
  }
}
