import { CircuitBreaker, type CircuitState } from '../circuitBreaker';

function breakerAt(clock: { now: number }, changes: CircuitState[] = []) {
  return new CircuitBreaker({ failureThreshold: 3, coolDownMs: 1000, now: () => clock.now, onStateChange: (state) => changes.push(state) });
}

function fail(breaker: CircuitBreaker, times: number): void {
  for (let call = 0; call < times; call += 1) {
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
  }
}

describe('CircuitBreaker', () => {
  it('stays closed below the threshold, and a success resets the count', () => {
    const breaker = breakerAt({ now: 0 });
    fail(breaker, 2);
    breaker.tryAcquire();
    breaker.recordSuccess();
    fail(breaker, 2);
    expect(breaker.currentState).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('opens at the threshold and refuses calls during the cool-down', () => {
    const clock = { now: 0 };
    const breaker = breakerAt(clock);
    fail(breaker, 3);
    expect(breaker.currentState).toBe('open');
    clock.now = 999;
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('lets a single trial through after the cool-down; its success closes the circuit', () => {
    const clock = { now: 0 };
    const changes: CircuitState[] = [];
    const breaker = breakerAt(clock, changes);
    fail(breaker, 3);
    clock.now = 1000;
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.recordSuccess();
    expect(breaker.tryAcquire()).toBe(true);
    expect(changes).toEqual(['open', 'half-open', 'closed']);
  });

  it('opens again for a whole cool-down when the trial fails', () => {
    const clock = { now: 0 };
    const breaker = breakerAt(clock);
    fail(breaker, 3);
    clock.now = 1500;
    fail(breaker, 1);
    expect(breaker.currentState).toBe('open');
    clock.now = 2499;
    expect(breaker.tryAcquire()).toBe(false);
    clock.now = 2500;
    expect(breaker.tryAcquire()).toBe(true);
  });
});
