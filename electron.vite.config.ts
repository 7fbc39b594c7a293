import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const pkg = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { version: string; optionalDependencies: { electron: string } };
const version = pkg.version;
// npm 10 drops the optional electron package when its binary download fails (closed networks); electron-vite
// reads Electron's major version from that package for its build target, so it takes the declared one then.
if (!existsSync(resolve('node_modules/electron/package.json')))
  process.env.ELECTRON_MAJOR_VER ??= /\d+/.exec(pkg.optionalDependencies.electron)?.[0];

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
