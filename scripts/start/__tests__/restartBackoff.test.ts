import { DEFAULT_RESTART_BACKOFF, RestartBackoff, restartBackoffFromEnv } from '../restartBackoff';

const policy = { initialDelayMs: 500, maxDelayMs: 30_000, healthyRunMs: 60_000 };

describe('RestartBackoff', () => {
  it('doubles the delay while the service keeps failing, up to the maximum', () => {
    const backoff = new RestartBackoff(policy);
    const delays = Array.from({ length: 9 }, () => backoff.delayAfterExit(0));
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('keeps doubling after runs that were ready, but not for long', () => {
    const backoff = new RestartBackoff(policy);
    expect([backoff.delayAfterExit(10_000), backoff.delayAfterExit(59_999), backoff.delayAfterExit(0)]).toEqual([500, 1_000, 2_000]);
  });

  it('starts again from the first delay once a run has been healthy for a while', () => {
    const backoff = new RestartBackoff(policy);
    for (let failure = 0; failure < 8; failure += 1) backoff.delayAfterExit(0);
    expect(backoff.delayAfterExit(60_000)).toBe(500);
    expect(backoff.delayAfterExit(0)).toBe(1_000);
  });
});

describe('restartBackoffFromEnv', () => {
  it('is the default policy without RESTART_DELAY_MS', () => {
    expect(restartBackoffFromEnv({})).toEqual(DEFAULT_RESTART_BACKOFF);
    expect(DEFAULT_RESTART_BACKOFF).toEqual(policy);
  });

  it('takes the first delay from RESTART_DELAY_MS', () => {
    expect(restartBackoffFromEnv({ RESTART_DELAY_MS: '4000' })).toEqual({ ...policy, initialDelayMs: 4_000 });
    expect(restartBackoffFromEnv({ RESTART_DELAY_MS: '60000' })).toEqual({ ...policy, initialDelayMs: 60_000, maxDelayMs: 60_000 });
  });

  it.each(['soon', '-1', '1.5'])('refuses RESTART_DELAY_MS=%s', (value) => {
    expect(() => restartBackoffFromEnv({ RESTART_DELAY_MS: value })).toThrow('RESTART_DELAY_MS must be a whole number');
  });
});
