/**
 * `useKiosk`: the rotation of a named screen. Asks the collector for the
 * screen's playlist, shows each item for its dwell time, and asks again every
 * `refreshSeconds`, so a playlist changed on the collector reaches the screen
 * without anybody visiting it. A newer dashboard build waits for the next
 * switch between views (the quiet moment) and reloads then.
 */
import { computed, onScopeDispose, ref, shallowRef, type ComputedRef, type Ref, type ShallowRef } from 'vue';
import { fetchKiosk, type KioskItem, type KioskPlaylist } from '../services/fleet-api';

export interface UseKioskOptions {
  screen: string;
  /** @default fetchKiosk */
  load?: (screen: string) => Promise<KioskPlaylist>;
  /** A newer build is waiting: reload instead of switching. @default () => false */
  newBuild?: () => boolean;
  /** @default () => location.reload() */
  reload?: () => void;
}

export interface UseKioskReturn {
  playlist: ShallowRef<KioskItem[]>;
  index: Ref<number>;
  item: ComputedRef<KioskItem | null>;
  /** Switches so far, counting from 0: a key that remounts the view on each switch. */
  switches: Ref<number>;
  /** Why there is nothing (new) to show: the collector's error code and words; null when fine. */
  error: Ref<{ code: string; message: string } | null>;
}

export function useKiosk(options: UseKioskOptions): UseKioskReturn {
  const load = options.load ?? ((s: string) => fetchKiosk(s));
  const reload = options.reload ?? (() => window.location.reload());
  const playlist = shallowRef<KioskItem[]>([]);
  const index = ref(0);
  const switches = ref(0);
  const error = ref<{ code: string; message: string } | null>(null);
  let dwell: ReturnType<typeof setTimeout> | null = null;
  let refresh: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  let signature = '';

  const item = computed(() => playlist.value[index.value % Math.max(1, playlist.value.length)] ?? null);

  function schedule(): void {
    if (dwell) clearTimeout(dwell);
    const current = item.value;
    if (!current || stopped) return;
    dwell = setTimeout(next, current.seconds * 1000);
  }

  function next(): void {
    if (options.newBuild?.()) {
      reload();
      return;
    }
    index.value = (index.value + 1) % Math.max(1, playlist.value.length);
    switches.value += 1;
    schedule();
  }

  async function fetchPlaylist(): Promise<number> {
    try {
      const p = await load(options.screen);
      error.value = null;
      const sig = JSON.stringify(p.playlist);
      if (sig !== signature) {
        // A changed playlist starts from its first item.
        signature = sig;
        playlist.value = p.playlist;
        index.value = 0;
        switches.value += 1;
        schedule();
      }
      return p.refreshSeconds;
    } catch (e) {
      // Keep rotating the last playlist; say why it could not be refreshed.
      const code = typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : 'unavailable';
      error.value = { code, message: e instanceof Error ? e.message : String(e) };
      return 30;
    }
  }

  const refreshLoop = async () => {
    const seconds = await fetchPlaylist();
    if (!stopped) refresh = setTimeout(() => void refreshLoop(), seconds * 1000);
  };
  void refreshLoop();

  onScopeDispose(() => {
    stopped = true;
    if (dwell) clearTimeout(dwell);
    if (refresh) clearTimeout(refresh);
  });
  return { playlist, index, item, switches, error };
}
