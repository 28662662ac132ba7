import { effectScope } from 'vue';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KioskPlaylist } from '../services/fleet-api';
import { useKiosk } from './useKiosk';

const flush = () => vi.advanceTimersByTimeAsync(0);

describe('useKiosk', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('shows each item for its dwell time, round and round, and adopts a changed playlist', async () => {
    let playlist: KioskPlaylist = { screen: 'hall-3', refreshSeconds: 10, playlist: [{ view: 'wall', line: 'A1', seconds: 6 }, { view: 'plant', seconds: 4 }] };
    const scope = effectScope();
    const k = scope.run(() => useKiosk({ screen: 'hall-3', load: () => Promise.resolve(playlist), reload: () => undefined }));
    if (!k) throw new Error('no scope');
    await flush();
    expect(k.item.value).toMatchObject({ view: 'wall', line: 'A1' });
    await vi.advanceTimersByTimeAsync(5_999);
    expect(k.item.value?.view).toBe('wall');
    await vi.advanceTimersByTimeAsync(1);
    expect(k.item.value?.view).toBe('plant');
    await vi.advanceTimersByTimeAsync(4_000);
    expect(k.item.value?.view).toBe('wall');

    playlist = { ...playlist, playlist: [{ view: 'wall', line: 'A2', seconds: 30 }] };
    await vi.advanceTimersByTimeAsync(10_000); // the next refresh
    expect(k.item.value).toMatchObject({ view: 'wall', line: 'A2' });
    scope.stop();
  });

  it('reloads at a switch, not before, when a newer build waits', async () => {
    const reload = vi.fn();
    let newBuild = false;
    const scope = effectScope();
    scope.run(() =>
      useKiosk({
        screen: 's',
        load: () => Promise.resolve({ screen: 's', refreshSeconds: 60, playlist: [{ view: 'plant', seconds: 5 }, { view: 'wall', line: 'A1', seconds: 5 }] }),
        newBuild: () => newBuild,
        reload,
      }),
    );
    await flush();
    newBuild = true;
    await vi.advanceTimersByTimeAsync(4_000);
    expect(reload).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reload).toHaveBeenCalledTimes(1);
    scope.stop();
  });

  it('keeps rotating the last playlist when the collector cannot be asked, and says why', async () => {
    let fail = false;
    const scope = effectScope();
    const k = scope.run(() =>
      useKiosk({
        screen: 's',
        load: () => (fail ? Promise.reject(new Error('collector away')) : Promise.resolve({ screen: 's', refreshSeconds: 1, playlist: [{ view: 'plant', seconds: 5 }] })),
        reload: () => undefined,
      }),
    );
    await flush();
    fail = true;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(k?.error.value).toEqual({ code: 'unavailable', message: 'collector away' });
    expect(k?.item.value?.view).toBe('plant');
    scope.stop();
  });
});
