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

createApp(App).use(createPinia()).mount('#app');
