/**
 * "The latest request wins": a store that reloads when its line or range
 * changes must never show an older answer that arrived late. Each run aborts
 * the one before and reports whether its own answer still counts. Vue-free.
 */
import { ApiError } from './api-json';

export type LatestOutcome<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'error'; error: { code: string; message: string } }
  | { kind: 'superseded' };

export interface LatestRequest {
  /** Runs `request` with an abort signal; a later run supersedes this one. */
  run<T>(request: (signal: AbortSignal | undefined) => Promise<T>): Promise<LatestOutcome<T>>;
  /** Aborts the run in flight; its answer will not count. */
  cancel(): void;
}

/** An error as a person reads it: the collector's own code and message when it sent them. */
export function errorView(err: unknown): { code: string; message: string } {
  if (err instanceof ApiError) return { code: err.code, message: err.message };
  return { code: 'unexpected', message: err instanceof Error ? err.message : String(err) };
}

export function createLatestRequest(): LatestRequest {
  let controller: AbortController | null = null;
  let seq = 0;
  return {
    async run(request) {
      controller?.abort();
      const ctrl = typeof AbortController === 'undefined' ? null : new AbortController();
      controller = ctrl;
      const mine = ++seq;
      try {
        const value = await request(ctrl?.signal);
        return mine === seq ? { kind: 'ok', value } : { kind: 'superseded' };
      } catch (err) {
        return mine === seq ? { kind: 'error', error: errorView(err) } : { kind: 'superseded' };
      }
    },
    cancel() {
      seq += 1;
      controller?.abort();
      controller = null;
    },
  };
}
