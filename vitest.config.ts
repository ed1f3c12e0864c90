import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One moto server (AWS emulator) for the run; tests get its URL with inject('motoEndpoint').
    globalSetup: ['test/moto/global-setup.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    reporters: ['default', ['json', { outputFile: 'test-output/vitest.json' }]],
  },
});
