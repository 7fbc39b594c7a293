import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { IPC_EVENT_CHANNEL, OP_NAMES, ipcChannel } from '../../shared/contract';
import { inputSizeError } from '../../shared/input-size';
import type { Dispatch } from '../api';
import type { EventBus } from '../event-bus';

/** One handler per operation; each checks the calling frame is our own renderer. */
export function registerIpc(dispatch: Dispatch, bus: EventBus, window: BrowserWindow, rendererOrigin: string): () => void {
  const trusted = (event: IpcMainInvokeEvent): boolean =>
    event.sender === window.webContents && (event.senderFrame?.url ?? '').startsWith(rendererOrigin);
  for (const name of OP_NAMES) {
    ipcMain.handle(ipcChannel(name), (event, input: unknown) => {
      if (!trusted(event)) {
        return { ok: false, error: { code: 'UNAUTHORIZED', message: 'Calls are accepted from the Swarmdeck window only' } };
      }
      // The same cap the web host applies, so a call behaves alike over either transport.
      const tooBig = inputSizeError(name, input);
      if (tooBig) return { ok: false, error: tooBig.toPayload() };
      return dispatch(name, input);
    });
  }
  const unsubscribe = bus.subscribe((event) => {
    if (!window.isDestroyed()) window.webContents.send(IPC_EVENT_CHANNEL, event);
  });
  return () => {
    unsubscribe();
    for (const name of OP_NAMES) ipcMain.removeHandler(ipcChannel(name));
  };
}
