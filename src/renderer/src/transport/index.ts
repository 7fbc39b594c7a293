import { SESSION_FRAGMENT } from '../../../shared/web-session';
import { IpcTransport } from './ipc-transport';
import type { Transport } from './transport';
import { SESSION_KEY, WebSocketTransport, type OpenSocket, type SessionStore } from './ws-transport';

const openBrowserSocket: OpenSocket = (url, handlers) => {
  const socket = new WebSocket(url);
  socket.onopen = () => handlers.open();
  socket.onmessage = (message) => handlers.message(String(message.data));
  socket.onclose = (event) => handlers.close(event.code, event.reason);
  return socket;
};

/** This origin's sessionStorage, or memory where the browser refuses storage (the session then lasts as long as the page). */
function sessionStore(): SessionStore {
  try {
    const storage = window.sessionStorage;
    storage.getItem(SESSION_KEY);
    return storage;
  } catch {
    const memory = new Map<string, string>();
    return {
      getItem: (key) => memory.get(key) ?? null,
      setItem: (key, value) => void memory.set(key, value),
      removeItem: (key) => void memory.delete(key),
    };
  }
}

/**
 * The login redirect hands the session over in the fragment (`#session=…`), which no server
 * ever sees. It is moved into this origin's storage and out of the address bar and history
 * entry at once, before anything else of the page reads the location.
 */
function takeSessionFromFragment(store: SessionStore): void {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const secret = fragment.get(SESSION_FRAGMENT);
  if (!secret) return;
  store.setItem(SESSION_KEY, secret);
  fragment.delete(SESSION_FRAGMENT);
  const rest = fragment.toString();
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}${rest ? `#${rest}` : ''}`);
}

function pick(): Transport {
  if (window.swarmdeck) return new IpcTransport(window.swarmdeck);
  const store = sessionStore();
  takeSessionFromFragment(store);
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return new WebSocketTransport(`${scheme}://${window.location.host}/ws`, { open: openBrowserSocket, store });
}

/** The renderer's one way to main, chosen once at start-up. */
export const transport: Transport = pick();
export type { Transport };
