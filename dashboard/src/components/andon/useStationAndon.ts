/**
 * `useStationAndon`: everything the station tablet needs, wired once so the
 * view only lays it out. Asks who is signed in, the line's people and the
 * andon config; follows the line's live channel so calls raised anywhere (a
 * pull cord, the wall's supervisor, another tablet) appear at once; and
 * keeps a clock ticking for the timers and a lock's countdown.
 */
import type { StationState } from '@core/events';
import { computed, onScopeDispose, watch, type ComputedRef } from 'vue';
import { useLive, type UseLiveOptions, type UseLiveReturn } from '../../composables/useLive';
import { ANDON_CATALOGUES } from '../../i18n/andon-messages';
import type { ApiFetchLike } from '../../services/session-api';
import { useAndonStore } from '../../stores/andon';
import { useLocaleStore } from '../../stores/locale';
import { useSessionStore } from '../../stores/session';
import { callCards, lineClock, liveOpenCalls, serverClock, type CallCard } from './andon-model';

/** While the live channel is down, how often the station's calls are asked for instead, ms. */
export const STATION_POLL_MS = 15_000;

/** A shared tablet signs its person out after this long without a touch, ms (`?idle=<minutes>` overrides). */
export const STATION_IDLE_MS = 5 * 60_000;

export interface UseStationAndonOptions {
  line: string;
  /** The station the tablet stands at; null: the whole line (a laptop, or a line-side board). */
  station: string | null;
  /** Fake fetch or another collector for tests. @default same-origin fetch */
  api?: { fetch?: ApiFetchLike; base?: string };
  /** Live-channel overrides for tests (fake WebSocket, timers). @default the page's collector */
  liveOptions?: Omit<UseLiveOptions, 'line'>;
  /** Sign out after this long without a touch or key, ms; 0 never. @default STATION_IDLE_MS */
  idleMs?: number;
}

export interface UseStationAndonReturn {
  live: UseLiveReturn;
  session: ReturnType<typeof useSessionStore>;
  andon: ReturnType<typeof useAndonStore>;
  /** The station's calls as cards, most urgent first, timers on the line's clock. */
  cards: ComputedRef<CallCard[]>;
  /** The station as the live channel shows it, if it knows it. */
  stationInfo: ComputedRef<{ name: { zh: string; en: string }; state: StationState } | null>;
  /** The line arrived and has no such station (a mistyped URL). */
  unknownStation: ComputedRef<boolean>;
}

export function useStationAndon(options: UseStationAndonOptions): UseStationAndonReturn {
  const session = useSessionStore();
  const andon = useAndonStore();
  const locale = useLocaleStore();
  if (options.api) {
    session.configure(options.api);
    andon.configure(options.api);
  }
  // The trend is the wall's; the tablet only needs the calls and the clock.
  const live = useLive({ loadTrend: () => Promise.resolve([]), ...options.liveOptions, line: options.line });
  session.configure({ ...options.api, now: () => live.now.value });
  andon.configure({ ...options.api, now: () => live.now.value });

  void session.restore();
  void session.loadPeople(options.line);
  void andon.loadConfig();
  void andon.watchStation(options.line, options.station);

  // A session past its end is gone at the collector too: show the sign-in again rather than buttons that answer 401.
  // And a shared tablet left alone signs its person out, so the next one does not act in their name.
  const idleMs = options.idleMs ?? STATION_IDLE_MS;
  let lastTouch = live.now.value;
  const touched = () => (lastTouch = live.now.value);
  window.addEventListener('pointerdown', touched, true);
  window.addEventListener('keydown', touched, true);
  onScopeDispose(() => {
    window.removeEventListener('pointerdown', touched, true);
    window.removeEventListener('keydown', touched, true);
  });
  watch(
    () => session.session,
    () => touched(),
  );
  watch(live.now, (t) => {
    const s = session.session;
    if (!s) return;
    if (serverClock(t, live.input.value.lineServerTime, live.input.value.lineArrivedAt) >= s.expiresAt) session.expired();
    else if (idleMs > 0 && t - lastTouch >= idleMs && !session.busy) void session.signOutNow();
  });
  watch(live.line, (l) => {
    if (l && l.andon !== undefined) andon.applyLive(liveOpenCalls(l));
  });

  // Without the live channel, calls raised elsewhere would not appear: ask for them on a timer until it is back.
  const timers = options.liveOptions?.timers ?? { setTimeout: (fn: () => void, ms: number) => globalThis.setTimeout(fn, ms), clearTimeout: (h: unknown) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>) };
  let poll: unknown = null;
  const schedule = () => {
    poll = timers.setTimeout(() => {
      poll = null;
      if (live.status.value === 'open') return;
      void andon.watchStation(options.line, options.station);
      schedule();
    }, STATION_POLL_MS);
  };
  watch(
    live.status,
    (status) => {
      if (status !== 'open' && poll === null) schedule();
    },
    { immediate: true },
  );
  onScopeDispose(() => {
    if (poll !== null) timers.clearTimeout(poll);
  });

  const cards = computed(() =>
    callCards(andon.calls, {
      now: lineClock(live.now.value, live.line.value?.now ?? null, live.input.value.lineArrivedAt),
      kinds: andon.config?.kinds ?? [],
      escalation: andon.config?.escalation ?? [],
      locale: locale.locale,
      m: ANDON_CATALOGUES[locale.locale],
    }),
  );
  const stationInfo = computed(() => {
    const s = live.line.value?.stations.find((x) => x.id === options.station);
    return s ? { name: s.name, state: s.state } : null;
  });
  const unknownStation = computed(() => options.station !== null && live.line.value !== null && !live.line.value.stations.some((x) => x.id === options.station));
  return { live, session, andon, cards, stationInfo, unknownStation };
}
