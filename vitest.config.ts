import { defineConfig } from 'vitest/config';

// In CI a JSON report is written too, so .ci/run can print a closing "N passed, N failed" line.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'tooling/e2e'],
    reporters: process.env['CI']
      ? ['default', ['json', { outputFile: '.vitest-results.json' }]]
      : ['default'],
  },
});
