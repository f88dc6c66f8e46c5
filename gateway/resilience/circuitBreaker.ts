export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before letting one trial through. */
  coolDownMs: number;
  /** Called on every change of state, e.g. to log it. */
  onStateChange?: (state: CircuitState) => void;
  now?: () => number;
}

/**
 * Stops calling a dependency that keeps failing. Closed: calls go through and consecutive failures are
 * counted. Open (after `failureThreshold` of them): calls are refused at once for `coolDownMs`. Then
 * half-open: a single trial call goes through while others are still refused; its success closes the
 * circuit, its failure opens it for another cool-down.
 *
 * Every `tryAcquire()` that returns true must be followed by exactly one `recordSuccess()` or
 * `recordFailure()`.
 */
export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get currentState(): CircuitState {
    return this.state;
  }

  /** Whether a call may go out now; when it may, its outcome must be recorded. */
  tryAcquire(): boolean {
    switch (this.state) {
      case 'closed':
        return true;
      case 'open':
        if (this.now() - this.openedAt < this.options.coolDownMs) return false;
        this.moveTo('half-open');
        return true;
      case 'half-open':
        return false;
    }
  }

  recordSuccess(): void {
    this.consecutiveFailures = 0;
    if (this.state !== 'closed') this.moveTo('closed');
  }

  recordFailure(): void {
    this.consecutiveFailures += 1;
    if (this.state === 'half-open' || (this.state === 'closed' && this.consecutiveFailures >= this.options.failureThreshold)) {
      this.openedAt = this.now();
      this.moveTo('open');
    }
  }

  private moveTo(state: CircuitState): void {
    this.state = state;
    this.options.onStateChange?.(state);
  }
}
