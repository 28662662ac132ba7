/** The dashboard build this page runs: set by vite.config.ts at build time; `dev` under the dev server and in tests. */
declare const __TAKTLINE_BUILD__: string | undefined;

export const BUILD: string = typeof __TAKTLINE_BUILD__ === 'string' ? __TAKTLINE_BUILD__ : 'dev';
