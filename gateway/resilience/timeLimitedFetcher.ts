import type { RemoteGraphQLDataSource } from '@apollo/gateway';

type Fetcher = RemoteGraphQLDataSource['fetcher'];

/**
 * Gives every subgraph call at most `timeoutMs`, reading the response body included: a hung subgraph
 * costs a bounded wait, and the aborted call closes its connection.
 */
export function timeLimitedFetcher(fetcher: Fetcher, timeoutMs: number): Fetcher {
  return (url, init) => fetcher(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
}
