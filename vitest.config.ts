import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Fails a file that leaves a process, socket or timer behind to act on the shared bed.
    setupFiles: ['test/support/leak-check.ts'],
    // Integration files share one cluster, and one of them kills a master on purpose.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
