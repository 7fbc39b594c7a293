import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const version = (JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { version: string }).version;

export default defineConfig({
  main: {
    define: { __SWARMDECK_VERSION__: JSON.stringify(version) },
    build: {
      rollupOptions: {
        // One bundle per way in: the Electron app, the web host, the CLI and the SDK.
        input: {
          index: resolve('src/main/index.ts'),
          serve: resolve('src/main/hosts/web/main.ts'),
          cli: resolve('src/main/hosts/cli/main.ts'),
          sdk: resolve('src/main/sdk.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require nothing but electron: bundle everything it uses.
      externalizeDeps: false,
      rollupOptions: {
        // A sandboxed preload cannot be an ES module.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [react()],
    build: {
      rollupOptions: { input: resolve('src/renderer/index.html') },
    },
  },
});
