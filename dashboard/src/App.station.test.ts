import { createPinia } from 'pinia';
import { createApp, nextTick, type App as VueApp } from 'vue';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeAndonCollector } from './components/andon/andon-fixtures';
import { FakeSocket } from './testing/fakes';
import App from './App.vue';

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await new Promise((r) => setTimeout(r, 0));
  await nextTick();
}

describe('App routes: /station', () => {
  let app: VueApp;
  let root: HTMLElement;
  beforeEach(() => {
    localStorage.clear();
    FakeSocket.reset();
    vi.stubGlobal('fetch', fakeAndonCollector().fetch);
    vi.stubGlobal('WebSocket', FakeSocket);
    root = document.createElement('div');
    document.body.append(root);
  });
  afterEach(() => {
    app.unmount();
    root.remove();
    vi.unstubAllGlobals();
  });
  const mountAt = async (url: string) => {
    history.replaceState(null, '', url);
    app = createApp(App).use(createPinia());
    app.mount(root);
    await settle();
  };

  it('opens the station tablet for the line and station in the URL', async () => {
    await mountAt('/station?line=A1&station=S07');
    await vi.waitFor(() => expect(root.querySelector('[data-testid="station-title"]')?.textContent).toBe('A1 线 S07 工位'));
    expect(FakeSocket.last.url).toContain('/api/v1/live?line=A1');
  });

  it('says what the address lacks without a line', async () => {
    await mountAt('/station?station=S07');
    expect(root.querySelector('[data-testid="station-missing"]')?.textContent).toBe('网址需指明产线（和工位），例如 /station?line=A1&station=S07');
    expect(root.querySelector('[data-testid="station-view"]')).toBeNull();
  });
});
