import { STATUS_CODES } from 'node:http';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { FetcherResponse } from '@apollo/utils.fetcher';
import { Agent } from 'undici';
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
 * undici's `request` (the HTTP client inside Node's own fetch, without the WHATWG streams fetch puts on top) over one
 * connection pool per subgraph: at most `maxSockets` connections each, reused with keep-alive (no TCP handshake per
 * call), and closed after `idleConnectionMs` idle, long before the subgraph would close them (lib/http/serveGraphQL).
 * It costs the gateway less CPU per call than node-fetch over an http.Agent did.
 * `no-keep-alive` closes each connection after its call; `apollo` leaves Apollo's default fetcher (make-fetch-happen).
 */
export function subgraphFetcher(
  client: SubgraphHttpClient,
  maxSockets: number,
  idleConnectionMs = CLIENT_IDLE_CONNECTION_MS,
): SubgraphFetcher {
  if (client === 'apollo') return { fetcher: undefined, destroy: () => undefined };
  // The server's Keep-Alive hint (65 s) is capped too: this side closes an idle connection first.
  const agent = new Agent({ connections: maxSockets, keepAliveTimeout: idleConnectionMs, keepAliveMaxTimeout: idleConnectionMs });
  const reset = client === 'no-keep-alive';
  const fetcher: Fetcher = async (url, init) => {
    const { origin, pathname, search } = new URL(url);
    const response = await agent.request({
      origin,
      path: pathname + search,
      method: init?.method ?? 'GET',
      headers: init?.headers,
      body: init?.body,
      signal: init?.signal,
      reset,
    });
    // Read whole here, under the caller's signal: the time limit covers the body too, and the answer can be cloned.
    return new BufferedResponse(url, response.statusCode, response.headers, Buffer.from(await response.body.arrayBuffer()));
  };
  return {
    fetcher,
    destroy() {
      agent.destroy().catch(() => undefined);
    },
  };
}

/** A subgraph's answer, read whole, as Apollo's data sources read it (its status, headers, and body as JSON or text). */
class BufferedResponse implements FetcherResponse {
  readonly redirected = false;
  readonly headers: Headers;
  private used = false;

  constructor(
    readonly url: string,
    readonly status: number,
    rawHeaders: Record<string, string | string[] | undefined>,
    private readonly body: Buffer,
  ) {
    this.headers = new Headers();
    for (const [name, value] of Object.entries(rawHeaders)) {
      for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) this.headers.append(name, one);
    }
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get statusText(): string {
    return STATUS_CODES[this.status] ?? '';
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  async text(): Promise<string> {
    return this.consume().toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.consume().toString('utf8'));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const body = this.consume();
    return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
  }

  clone(): BufferedResponse {
    if (this.used) throw new TypeError('Response.clone: the body has already been read.');
    return new BufferedResponse(this.url, this.status, Object.fromEntries(this.headers), this.body);
  }

  /** As fetch's Response: a body is read once. */
  private consume(): Buffer {
    if (this.used) throw new TypeError('The body of this response has already been read.');
    this.used = true;
    return this.body;
  }
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
