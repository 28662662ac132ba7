/**
 * One config for the dashboard build and for every test.
 * Tests: a Node project (core, collector, simulator, bench, browser e2e via
 * Playwright) and a DOM project (dashboard components under happy-dom).
 */
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: `${root}dashboard`,
  base: '/',
  plugins: [vue()],
  resolve: {
    alias: { '@core': `${root}core` },
  },
  build: {
    outDir: `${root}dist/dashboard`,
    emptyOutDir: true,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: {
      '/api': { target: 'http://localhost:8080', ws: true },
    },
  },
  test: {
    root,
    // Two cores: one worker per core; integration suites start their own servers.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['{core,collector,simulator,bench,scripts}/**/*.test.ts', 'dashboard/test/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'happy-dom',
          include: ['dashboard/src/**/*.test.ts'],
        },
      },
    ],
  },
});
