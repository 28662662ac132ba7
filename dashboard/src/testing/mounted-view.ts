/**
 * A component mounted into the page with a fresh Pinia, for the DOM tests of
 * the station tablet's lists, and the ways those tests look at it: an element
 * by data-testid, its text with white space folded, and a tap that waits for
 * the component's fetches to settle. Imported by *.test.ts only.
 */
import { createPinia, type Pinia } from 'pinia';
import { createApp, nextTick, type App, type VNode } from 'vue';

/** Lets the fake fetches' promises and Vue's re-render run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await new Promise((r) => setTimeout(r, 0));
  await nextTick();
}

export interface MountedView {
  /** Mounts `render` into a fresh element with a fresh Pinia (unmounting what was mounted before). */
  mount(render: () => VNode): void;
  unmount(): void;
  readonly root: HTMLElement;
  readonly pinia: Pinia;
  q(testId: string): HTMLElement | null;
  /** The element's text, white space folded; null when it is not there. */
  text(testId: string): string | null;
  /** Clicks the element (throws when it is not there), then settles. */
  tap(testId: string): Promise<void>;
}

export function mountedView(): MountedView {
  let mounted: { app: App; root: HTMLElement; pinia: Pinia } | null = null;
  const current = () => {
    if (!mounted) throw new Error('nothing is mounted');
    return mounted;
  };
  const q = (testId: string) => current().root.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
  const view: MountedView = {
    mount(render) {
      view.unmount();
      const root = document.createElement('div');
      document.body.append(root);
      const pinia = createPinia();
      const app = createApp({ render });
      app.use(pinia).mount(root);
      mounted = { app, root, pinia };
    },
    unmount() {
      if (!mounted) return;
      mounted.app.unmount();
      mounted.root.remove();
      mounted = null;
    },
    get root() {
      return current().root;
    },
    get pinia() {
      return current().pinia;
    },
    q,
    text: (testId) => q(testId)?.textContent?.replace(/\s+/g, ' ').trim() ?? null,
    async tap(testId) {
      const el = q(testId);
      if (!el) throw new Error(`no ${testId}`);
      el.click();
      await settle();
    },
  };
  return view;
}
