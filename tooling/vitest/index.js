// Shared test settings merged into every package's vitest.config.ts.
// "source" resolves workspace packages to their TypeScript sources, so tests
// never run against a stale dist/.
import { defineConfig } from 'vitest/config';

export const sharedConfig = defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    environment: 'node',
    include: ['__tests__/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    setupFiles: [new URL('./setup.js', import.meta.url).pathname],
  },
});
