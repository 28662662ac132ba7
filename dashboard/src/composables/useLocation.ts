/**
 * A very small router: the page's path and query as refs, kept in step with
 * the back/forward buttons. Two routes do not need vue-router.
 */
import { onScopeDispose, ref, type Ref } from 'vue';

export interface UseLocationReturn {
  path: Ref<string>;
  query: Ref<URLSearchParams>;
  /** Goes to `url` (same origin) without reloading. */
  navigate: (url: string) => void;
}

/** @param win the window to follow; injectable for tests. @default globalThis.window */
export function useLocation(win: Window = globalThis.window): UseLocationReturn {
  const path = ref(win.location.pathname);
  const query = ref(new URLSearchParams(win.location.search));
  const sync = () => {
    path.value = win.location.pathname;
    query.value = new URLSearchParams(win.location.search);
  };
  win.addEventListener('popstate', sync);
  onScopeDispose(() => win.removeEventListener('popstate', sync));
  return {
    path,
    query,
    navigate: (url) => {
      win.history.pushState(null, '', url);
      sync();
    },
  };
}
