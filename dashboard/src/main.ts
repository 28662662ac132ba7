/**
 * Entry point. Fonts are self-hosted: only the two weights the UI uses, each
 * split by unicode range so the browser fetches just the glyphs on screen.
 */
import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/700.css';
import './styles.css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { preloadGlyphs, uiGlyphs } from './services/glyph-preload';
import { browserPageGuardEnv, startPageGuard } from './services/page-guard';

const app = createApp(App).use(createPinia());
app.mount('#app');

// Every glyph the screens' strings can show, fetched while the collector answers: later it may not.
void preloadGlyphs(document.fonts, uiGlyphs());

// Wall screens run unattended for weeks: reload when the page's heap keeps growing or errors keep coming.
if (window.location.pathname.replace(/\/+$/, '') === '/wall') {
  startPageGuard(browserPageGuardEnv(), {}, (why) => console.warn(`taktline: reloading the wall (${why})`));
}
