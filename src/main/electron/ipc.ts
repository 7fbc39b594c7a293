import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { IPC_EVENT_CHANNEL, OP_NAMES, ipcChannel } from '../../shared/contract';
import { inputSizeError } from '../../shared/input-size';
import type { Dispatch } from '../api';
import type { EventBus } from '../event-bus';
import { Owner, type Caller } from '../owners';

/** One handler per operation; each checks the calling frame is our own renderer. */
export function registerIpc(dispatch: Dispatch, bus: EventBus, window: BrowserWindow, rendererOrigin: string): () => void {
  const trusted = (event: IpcMainInvokeEvent): boolean =>
    event.sender === window.webContents && (event.senderFrame?.url ?? '').startsWith(rendererOrigin);
  // Like a web host's socket: what the page's calls leave running (watches, MONITORs) is held in
  // its name. A reload or a crash ends the page that held them, so each page load is an owner
  // of its own and the last one is released when the next starts, or when the window goes.
  const windowId = window.webContents.id;
  let loads = 0;
  const nextCaller = (): Caller => ({ owner: new Owner(`window:${windowId}.${++loads}`, 'window') });
  let caller = nextCaller();
  const renew = (): void => {
    void caller.owner.release();
    caller = nextCaller();
  };
  window.webContents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) renew();
  });
  window.webContents.on('render-process-gone', renew);
  window.on('closed', () => void caller.owner.release());
  for (const name of OP_NAMES) {
    ipcMain.handle(ipcChannel(name), (event, input: unknown) => {
      if (!trusted(event)) {
        return { ok: false, error: { code: 'UNAUTHORIZED', message: 'Calls are accepted from the Swarmdeck window only' } };
      }
      // The same cap the web host applies, so a call behaves alike over either transport.
      const tooBig = inputSizeError(name, input);
      if (tooBig) return { ok: false, error: tooBig.toPayload() };
      return dispatch(name, input, caller);
    });
  }
  const unsubscribe = bus.subscribe((event) => {
    if (!window.isDestroyed()) window.webContents.send(IPC_EVENT_CHANNEL, event);
  });
  return () => {
    unsubscribe();
    for (const name of OP_NAMES) ipcMain.removeHandler(ipcChannel(name));
    void caller.owner.release();
  };
}
