import http from 'node:http';
import https from 'node:https';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import nodeFetch from 'node-fetch';
import { SUBGRAPH_SIGNATURE_HEADER, signatureFor, type SubgraphSigning } from '../lib/auth/subgraphSignature';
import { CLIENT_IDLE_CONNECTION_MS } from '../lib/http/serveGraphQL';
import type { SubgraphHttpClient } from './config';

type Fetcher = RemoteGraphQLDataSource['fetcher'];

/** The HTTP client the gateway calls subgraphs with, and the connections it holds. */
export interface SubgraphFetcher {
  /** Undefined for `apollo`: the data sources keep Apollo's own fetcher. */
  fetcher: Fetcher | undefined;
  /** Closes the idle connections, once the gateway has stopped. */
  destroy(): void;
}

/**
 * node-fetch over one http(s).Agent per gateway. With keep-alive, connections to a subgraph are reused
 * (no TCP handshake per call) and at most `maxSockets` are open per subgraph; idle ones are handed out
 * most recent first, so the pool shrinks back after a burst, and closed after `idleConnectionMs` idle. `apollo` leaves Apollo's default fetcher
 * (make-fetch-happen), the gateway's behaviour before this was tuned.
 */
export function subgraphFetcher(
  client: SubgraphHttpClient,
  maxSockets: number,
  idleConnectionMs = CLIENT_IDLE_CONNECTION_MS,
): SubgraphFetcher {
  if (client === 'apollo') return { fetcher: undefined, destroy: () => undefined };
  const keepAlive = client === 'keep-alive';
  // An idle connection is closed by this side first (`timeout`), long before the subgraph would close it.
  const options = { keepAlive, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' as const, timeout: idleConnectionMs };
  const agents = { http: new http.Agent(options), https: new https.Agent(options) };
  const fetcher: Fetcher = (url, init) =>
    nodeFetch(url, { ...init, agent: (parsed: URL) => (parsed.protocol === 'https:' ? agents.https : agents.http) });
  return {
    fetcher,
    destroy() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/**
 * Signs each call with the exact body and Authorization header it sends (see lib/auth/subgraphSignature):
 * subgraphs serve nothing else. Every call is signed when it leaves, retries included, so a signature is always fresh.
 */
export function signingFetcher(fetcher: Fetcher, signing: SubgraphSigning): Fetcher {
  return (url, init) => {
    const signed = { body: init?.body ?? '', authorization: init?.headers?.authorization };
    return fetcher(url, { ...init, headers: { ...init?.headers, [SUBGRAPH_SIGNATURE_HEADER]: signatureFor(signing, signed) } });
  };
}

/**
 * Gives every subgraph call at most `timeoutMs`, reading the response body included: a hung subgraph
 * costs a bounded wait, and the aborted call closes its connection.
 */
export function timeLimitedFetcher(fetcher: Fetcher, timeoutMs: number): Fetcher {
  return (url, init) => fetcher(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
}
