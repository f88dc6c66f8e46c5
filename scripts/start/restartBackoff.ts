/** How long the launcher waits before starting a service again, after it exited on its own. */
export interface RestartBackoffOptions {
  /** Before the first restart, and again once a run has been healthy for `healthyRunMs`. */
  initialDelayMs: number;
  /** Each further restart waits twice as long as the one before, up to this. */
  maxDelayMs: number;
  /** A run that was ready this long counts as healthy: the next failure is a new one, not a crash loop. */
  healthyRunMs: number;
}

export const DEFAULT_RESTART_BACKOFF: RestartBackoffOptions = { initialDelayMs: 500, maxDelayMs: 30_000, healthyRunMs: 60_000 };

/** `RESTART_DELAY_MS` sets the first delay (the rest of the policy follows from it); anything but a whole number ≥ 0 is refused. */
export function restartBackoffFromEnv(env: NodeJS.ProcessEnv): RestartBackoffOptions {
  const value = env.RESTART_DELAY_MS?.trim();
  if (value === undefined || value === '') return DEFAULT_RESTART_BACKOFF;
  const initialDelayMs = Number(value);
  if (!Number.isInteger(initialDelayMs) || initialDelayMs < 0) {
    throw new Error(`RESTART_DELAY_MS must be a whole number of milliseconds, not "${value}".`);
  }
  return { ...DEFAULT_RESTART_BACKOFF, initialDelayMs, maxDelayMs: Math.max(initialDelayMs, DEFAULT_RESTART_BACKOFF.maxDelayMs) };
}

/**
 * The delays between restarts of one service: doubling while it keeps failing (a crash loop must not spin the
 * machine), back to the first once it has run healthy for a while (a crash a day is not a crash loop).
 */
export class RestartBackoff {
  private previousDelayMs: number | undefined;

  constructor(private readonly options: RestartBackoffOptions = DEFAULT_RESTART_BACKOFF) {}

  /** The wait before the next start, given how long the run that just ended had been ready (0 if it never was). */
  delayAfterExit(readyForMs: number): number {
    if (readyForMs >= this.options.healthyRunMs) this.previousDelayMs = undefined;
    const delayMs =
      this.previousDelayMs === undefined ? this.options.initialDelayMs : Math.min(this.options.maxDelayMs, this.previousDelayMs * 2);
    this.previousDelayMs = delayMs;
    return delayMs;
  }
}
