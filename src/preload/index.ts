import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, OP_NAMES, ipcChannel } from '../shared/contract';
import type { AppEvent, AppEventListener } from '../shared/events';

// One named function per operation: the renderer cannot invoke arbitrary channels.
const ops = Object.fromEntries(OP_NAMES.map((name) => [name, (input: unknown) => ipcRenderer.invoke(ipcChannel(name), input)]));

contextBridge.exposeInMainWorld('swarmdeck', {
  ops,
  onEvent(listener: AppEventListener): () => void {
    const handler = (_event: IpcRendererEvent, payload: AppEvent): void => listener(payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => ipcRenderer.off(IPC_EVENT_CHANNEL, handler);
  },
});
