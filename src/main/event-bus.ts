import { EventEmitter } from 'node:events';
import type { AppEvent, AppEventListener } from '../shared/events';

/** The one channel main uses to push live updates to every attached transport. */
export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Each transport (window, web socket, CLI watcher) attaches one listener.
    this.emitter.setMaxListeners(0);
  }

  emit(event: AppEvent): void {
    this.emitter.emit('event', event);
  }

  subscribe(listener: AppEventListener): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
