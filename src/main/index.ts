import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, Menu } from 'electron';
import { dispatchFor } from './api';
import { registerIpc } from './electron/ipc';
import { safeStorageCodec } from './electron/safe-storage-codec';
import { createMainWindow, denyPermissions } from './electron/window';
import { createServices, type Services } from './services';

let services: Services | undefined;

async function start(): Promise<void> {
  denyPermissions();
  // SWARMDECK_HOME lets tests and operators keep several independent configurations.
  services = createServices({
    home: process.env.SWARMDECK_HOME ?? app.getPath('userData'),
    codec: safeStorageCodec(),
    host: 'desktop',
    runSchedules: true,
    collectMetrics: true,
  });
  const warning = services.secrets.backend.warning;
  if (warning) console.warn(`[swarmdeck] ${warning}`);
  const dispatch = dispatchFor(services, (error) => console.error('[swarmdeck] unexpected', error));
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  const rendererUrl = devUrl ?? pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href;
  const origin = devUrl ? new URL(devUrl).origin : pathToFileURL(join(import.meta.dirname, '../renderer')).href;
  Menu.setApplicationMenu(null);
  const window = createMainWindow(join(import.meta.dirname, '../preload'), rendererUrl);
  registerIpc(dispatch, services.bus, window, origin);
}

app.enableSandbox();
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});
app
  .whenReady()
  .then(start)
  .catch((error: unknown) => {
    console.error('[swarmdeck] failed to start', error);
    app.exit(1);
  });
app.on('window-all-closed', () => app.quit());
app.on('before-quit', (event) => {
  if (!services) return;
  // Stop the sandbox server and close connections before the process goes.
  event.preventDefault();
  const closing = services;
  services = undefined;
  void closing.dispose().finally(() => app.quit());
});
app.on('activate', () => {
  if (BrowserWindow.getAllWindows().length === 0) void start();
});
