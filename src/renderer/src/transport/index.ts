import { IpcTransport } from './ipc-transport';
import type { Transport } from './transport';
import { WebSocketTransport } from './ws-transport';

function pick(): Transport {
  if (window.swarmdeck) return new IpcTransport(window.swarmdeck);
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return new WebSocketTransport(`${scheme}://${window.location.host}/ws`);
}

/** The renderer's one way to main, chosen once at start-up. */
export const transport: Transport = pick();
export type { Transport };
