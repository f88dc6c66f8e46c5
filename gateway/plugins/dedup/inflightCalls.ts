/**
 * Calls in flight by key: a call made while an identical one (same key) is still running waits for that
 * one's outcome instead of running again. A key is forgotten as soon as its call settles, so nothing is
 * ever served from a cache: only callers who overlap in time share.
 */
export class InflightCalls<T> {
  private readonly inflight = new Map<string, Promise<T>>();

  /** Runs `call`, unless a call under `key` is in flight: then its promise, shared (`shared: true`). */
  run(key: string, call: () => Promise<T>): { result: Promise<T>; shared: boolean } {
    const running = this.inflight.get(key);
    if (running) return { result: running, shared: true };
    const result = call().finally(() => this.inflight.delete(key));
    this.inflight.set(key, result);
    return { result, shared: false };
  }

  /** Keys in flight now. */
  get size(): number {
    return this.inflight.size;
  }
}
