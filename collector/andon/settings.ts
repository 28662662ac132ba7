/**
 * Andon's settings from the environment (docs/configuration.md), merged over
 * DEFAULT_ANDON_SETTINGS. What a plant decides (kinds, tiers, rules,
 * channels, people) is in the plant file instead.
 */
import { DEFAULT_SESSION_SETTINGS, type SessionSettings } from '../auth/sessions';

export interface AndonSettings {
  /** How often escalations and rules are checked, ms. */
  tickMs: number;
  /** Calls and their steps kept in memory and rebuilt at start, days. */
  historyDays: number;
  session: SessionSettings;
  /** Mark the session cookie `Secure` (serve the collector over HTTPS). */
  secureCookie: boolean;
  notify: {
    /** Back-off after a failed delivery, doubling from min to max, ms. */
    retryMinMs: number;
    retryMaxMs: number;
    /** Attempts before a delivery is given up as failed. */
    maxAttempts: number;
    /** Failures in a row after which a channel is shown as failing. */
    failingAfter: number;
    /** One attempt's time limit, ms. */
    timeoutMs: number;
  };
}

export const DEFAULT_ANDON_SETTINGS: AndonSettings = {
  tickMs: 1000,
  historyDays: 31,
  session: DEFAULT_SESSION_SETTINGS,
  secureCookie: false,
  notify: { retryMinMs: 2000, retryMaxMs: 300_000, maxAttempts: 12, failingAfter: 3, timeoutMs: 10_000 },
};

type Env = Record<string, string | undefined>;

/** Thrown with the variable's name; config.ts turns it into its ConfigError. */
export class AndonSettingsError extends Error {
  readonly code = 'config_invalid';
}

export function andonSettingsFromEnv(env: Env, base: AndonSettings = DEFAULT_ANDON_SETTINGS): AndonSettings {
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new AndonSettingsError(`${name} must be a whole number from ${min} to ${max}; got '${raw}'`);
    return n;
  };
  const raw = env.TAKTLINE_SESSION_SECURE_COOKIE?.trim().toLowerCase();
  if (raw !== undefined && raw !== '' && !['true', 'false', '1', '0'].includes(raw)) {
    throw new AndonSettingsError(`TAKTLINE_SESSION_SECURE_COOKIE must be true or false; got '${raw}'`);
  }
  const retryMinMs = int('TAKTLINE_NOTIFY_RETRY_MIN_MS', base.notify.retryMinMs, 10, 3_600_000);
  const retryMaxMs = int('TAKTLINE_NOTIFY_RETRY_MAX_MS', base.notify.retryMaxMs, 10, 86_400_000);
  if (retryMaxMs < retryMinMs) throw new AndonSettingsError('TAKTLINE_NOTIFY_RETRY_MAX_MS must not be less than TAKTLINE_NOTIFY_RETRY_MIN_MS');
  return {
    tickMs: int('TAKTLINE_ANDON_TICK_MS', base.tickMs, 50, 60_000),
    historyDays: int('TAKTLINE_ANDON_HISTORY_DAYS', base.historyDays, 1, 366),
    session: {
      idleMs: int('TAKTLINE_SESSION_IDLE_MINUTES', base.session.idleMs / 60_000, 1, 7 * 24 * 60) * 60_000,
      absoluteMs: int('TAKTLINE_SESSION_MAX_HOURS', base.session.absoluteMs / 3_600_000, 1, 30 * 24) * 3_600_000,
      maxFailures: int('TAKTLINE_PIN_MAX_FAILURES', base.session.maxFailures, 1, 100),
      lockMs: int('TAKTLINE_PIN_LOCK_SECONDS', base.session.lockMs / 1000, 1, 86_400) * 1000,
    },
    secureCookie: raw === undefined || raw === '' ? base.secureCookie : raw === 'true' || raw === '1',
    notify: {
      retryMinMs,
      retryMaxMs,
      maxAttempts: int('TAKTLINE_NOTIFY_MAX_ATTEMPTS', base.notify.maxAttempts, 1, 1000),
      failingAfter: int('TAKTLINE_NOTIFY_FAILING_AFTER', base.notify.failingAfter, 1, 1000),
      timeoutMs: int('TAKTLINE_NOTIFY_TIMEOUT_MS', base.notify.timeoutMs, 100, 120_000),
    },
  };
}
