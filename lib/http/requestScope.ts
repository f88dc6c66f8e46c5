import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { Caller } from '../auth/caller';

/** What every part of a service may know about the HTTP request it is working for. */
export interface RequestScope {
  requestId: string;
  /** `performance.now()` when the request arrived. */
  startedAt: number;
  /** Who is calling, once their token is verified (see recordCaller); error formatting decides on it. */
  caller?: Caller;
}

const storage = new AsyncLocalStorage<RequestScope>();

/**
 * Runs `handle` with `scope` as the current request's, so that code reached from it (Apollo's error
 * formatting, plugins hooks that see no context, subgraph calls) can name the request in errors and logs.
 */
export function runInRequestScope<T>(scope: RequestScope, handle: () => T): T {
  return storage.run(scope, handle);
}

/** The scope of the request being handled, if any (none outside serveGraphQL's request handling). */
export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}

/** Records the verified caller of the current request, for the code that sees no context (error formatting). */
export function recordCaller(caller: Caller): void {
  const scope = storage.getStore();
  if (scope) scope.caller = caller;
}

/** Milliseconds since the current request arrived, rounded to 0.1 ms. */
export function elapsedMilliseconds(scope: RequestScope): number {
  return Math.round((performance.now() - scope.startedAt) * 10) / 10;
}
