/**
 * One config for the dashboard build and for every test.
 * Tests: a Node project (core, collector, simulator, bench, browser e2e via
 * Playwright) and a DOM project (dashboard components under happy-dom).
 */
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * This build's id: screens compare it with /version.json to learn that a new
 * dashboard is served, and reload at a quiet moment. TAKTLINE_BUILD pins it
 * (a release tag); by default the build's UTC time.
 */
const BUILD = process.env.TAKTLINE_BUILD ?? new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

/** Writes version.json next to index.html, served fresh (no-cache) like it. */
const versionFile: Plugin = {
  name: 'taktline-version',
  apply: 'build',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'version.json', source: `${JSON.stringify({ build: BUILD })}\n` });
  },
};

export default defineConfig({
  root: `${root}dashboard`,
  base: '/',
  plugins: [vue(), versionFile],
  define: { __TAKTLINE_BUILD__: JSON.stringify(BUILD) },
  resolve: {
    alias: { '@core': `${root}core` },
  },
  build: {
    outDir: `${root}dist/dashboard`,
    rollupOptions: {
      // The service worker is an entry of its own, served unhashed at /sw.js (its scope is the whole site).
      input: { main: `${root}dashboard/index.html`, sw: `${root}dashboard/src/sw.ts` },
      output: { entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js') },
    },
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
    // A poll waits for a browser or a collector on a loaded 2-core machine: one
    // second (vitest's default) is shorter than one page load there.
    expect: { poll: { timeout: 10_000, interval: 100 } },
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
