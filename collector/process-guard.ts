/**
 * The last line of defence of a running collector. Every request is parsed
 * defensively and every handler's errors are answered, so an exception that
 * still escapes to the process comes from an edge case of a library or of our
 * code that a client triggered: it is logged, and the collector goes on
 * serving (the spool and the other connections are not affected by one bad
 * request). Before the collector is up, the same exception is a programmer or
 * configuration error, and the process exits so that it is fixed.
 */

export type GuardPhase = 'starting' | 'running';

export interface ProcessGuardOptions {
  /** @default console.error */
  log?: (message: string, error: unknown) => void;
  /** @default process.exit */
  exit?: (code: number) => void;
}

export interface ProcessGuard {
  /** Call once the collector listens: from then on escaped errors are logged, not fatal. */
  running(): void;
  phase(): GuardPhase;
  /** Errors survived since start. */
  survived(): number;
  /** Removes the handlers (tests). */
  uninstall(): void;
}

interface GuardedProcess {
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown;
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  off(event: 'uncaughtException', listener: (error: Error) => void): unknown;
  off(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

export function installProcessGuard(target: GuardedProcess = process, options: ProcessGuardOptions = {}): ProcessGuard {
  const log = options.log ?? ((message, error) => console.error(message, error));
  const exit = options.exit ?? ((code) => process.exit(code));
  let phase: GuardPhase = 'starting';
  let survived = 0;

  const handle = (kind: string, error: unknown) => {
    if (phase === 'starting') {
      log(`collector: ${kind} while starting, exiting:`, error);
      exit(1);
      return;
    }
    survived += 1;
    log(`collector: ${kind} (survived, ${survived} since start; please report it):`, error);
  };
  const onException = (error: Error) => handle('uncaught exception', error);
  const onRejection = (reason: unknown) => handle('unhandled rejection', reason);
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);

  return {
    running() {
      phase = 'running';
    },
    phase: () => phase,
    survived: () => survived,
    uninstall() {
      target.off('uncaughtException', onException);
      target.off('unhandledRejection', onRejection);
    },
  };
}
