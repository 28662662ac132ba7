import { describe, expect, it } from 'vitest';
import { ApiError } from './api-json';
import { createLatestRequest, errorView } from './latest-request';

describe('createLatestRequest', () => {
  it('lets only the latest run count, and aborts the one before', async () => {
    const latest = createLatestRequest();
    let release: (v: string) => void = () => {};
    let firstSignal: AbortSignal | undefined;
    const first = latest.run((signal) => {
      firstSignal = signal;
      return new Promise<string>((r) => (release = r));
    });
    const second = latest.run(async () => 'new');
    release('old');
    expect(await first).toEqual({ kind: 'superseded' });
    expect(await second).toEqual({ kind: 'ok', value: 'new' });
    expect(firstSignal?.aborted).toBe(true);
  });

  it("reports the collector's own error, and nothing after a cancel", async () => {
    const latest = createLatestRequest();
    expect(await latest.run(() => Promise.reject(new ApiError('no_current_shift', 'no shift is in progress', 404, false)))).toEqual({
      kind: 'error',
      error: { code: 'no_current_shift', message: 'no shift is in progress' },
    });
    const pending = latest.run(() => Promise.reject(new Error('boom')));
    latest.cancel();
    expect(await pending).toEqual({ kind: 'superseded' });
    expect(errorView('odd')).toEqual({ code: 'unexpected', message: 'odd' });
  });
});
