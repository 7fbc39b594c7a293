import { join } from 'node:path';
import { BrowserWindow, session, shell } from 'electron';

const EXTERNAL_ALLOW_LIST = [/^https:\/\/redis\.io\//, /^https:\/\/github\.com\//];

/** The app's only window, locked down: isolated, sandboxed, no navigation, no popups. */
export function createMainWindow(preloadDir: string, rendererUrl: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    backgroundColor: '#0d1117',
    title: 'Swarmdeck',
    show: false,
    webPreferences: {
      preload: join(preloadDir, 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (EXTERNAL_ALLOW_LIST.some((allowed) => allowed.test(url))) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void window.loadURL(rendererUrl);
  return window;
}

export function denyPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}
