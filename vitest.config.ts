import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Spawned-CLI and crash tests share two cores with the build; keep parallelism modest.
    maxWorkers: 2,
  },
});
