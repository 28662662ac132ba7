/**
 * Entry point. Fonts are self-hosted: only the two weights the UI uses, each
 * split by unicode range so the browser fetches just the glyphs on screen.
 */
import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/700.css';
import './styles.css';
import { createPinia } from 'pinia';
import { createApp, effectScope, watch } from 'vue';
import App from './App.vue';
import { preloadGlyphs, uiGlyphs } from './services/glyph-preload';
import { useScreenReport } from './composables/useScreenReport';
import { browserPageGuardEnv, startPageGuard } from './services/page-guard';
import { countPageLoad } from './services/reload-count';
import { useScreenStore } from './stores/screen';

const pinia = createPinia();
const app = createApp(App).use(pinia);
app.mount('#app');

function localStore(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

// A named screen (`?screen=hall-3`, every kiosk) reports to the fleet and follows new dashboard builds.
const route = window.location.pathname.replace(/\/+$/, '');
const reloads = countPageLoad(localStore());
effectScope(true).run(() => {
  const screen = useScreenStore(pinia);
  if (!screen.name) return;
  useScreenReport({ reloads, buildCheckSeconds: route === '/kiosk' ? 20 : 300 });
  // Outside a kiosk rotation the quiet moment is now: the collector just answered with the new build.
  if (route !== '/kiosk') watch(() => screen.newBuild, (b) => b && window.location.reload());
});

// Every glyph the screens' strings can show, fetched while the collector answers: later it may not.
// The service worker keeps them (and the page) for a reload without network; see src/sw.ts.
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  navigator.serviceWorker.register('/sw.js').catch((e: unknown) => console.warn('taktline: no offline cache', e));
}
void preloadGlyphs(document.fonts, uiGlyphs());

// Wall screens run unattended for weeks: reload when the page's heap keeps growing or errors keep coming.
if (route === '/wall' || route === '/kiosk' || route === '/plant') {
  startPageGuard(browserPageGuardEnv(), {}, (why) => console.warn(`taktline: reloading the wall (${why})`));
}
