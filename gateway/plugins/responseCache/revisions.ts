import { ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';
import { injectTraceContext } from '../../../lib/telemetry/requestSpan';
import { SUBGRAPH_SIGNATURE_HEADER, signatureFor, type SubgraphSigning } from '../../../lib/auth/subgraphSignature';
import { type GraphRevisions, REVISIONS_PATH, REVISIONS_SIGNED_BODY } from '../../../subgraphs/shared/graphRevisions';

export type { GraphRevisions };

/**
 * The subgraphs' revisions (subgraphs/shared/graphRevisions.ts) as the response cache needs them: read after the
 * request that asks has arrived, so that they show every write answered before it, whichever gateway it went
 * through. Requests arriving together share reads: each one joins the next read to start, never one already in
 * flight (which may have read the tokens before a write that has since answered); so there are at most two reads
 * at a time, whatever the load.
 */
export class FreshRevisions {
  private running: Promise<GraphRevisions> | undefined;
  private queued: Promise<GraphRevisions> | undefined;

  constructor(private readonly read: () => Promise<GraphRevisions>) {}

  current(): Promise<GraphRevisions> {
    if (this.running === undefined) return this.begin();
    this.queued ??= this.running.then(settled, settled).then(() => {
      this.queued = undefined;
      return this.begin();
    });
    return this.queued;
  }

  private begin(): Promise<GraphRevisions> {
    const read: Promise<GraphRevisions> = this.read().finally(() => {
      if (this.running === read) this.running = undefined;
    });
    this.running = read;
    return read;
  }
}

const settled = () => undefined;

export interface RevisionsReadPolicy {
  /** Beyond it the cache is passed by (the request is executed), rather than held up by a subgraph that hangs. */
  timeoutMs: number;
  /** After a failed read, how long requests pass the cache by at once, before one read is tried again. */
  coolDownMs: number;
}

const REVISIONS_READ_POLICY: RevisionsReadPolicy = { timeoutMs: 2_000, coolDownMs: 5_000 };

// Every subgraph serves every subgraph's revisions (they share the database); housing answers nearly every query anyway.
const REVISIONS_SUBGRAPH = 'housing';

/** What the read needs of an HTTP client: the global fetch, or the gateway's client to the subgraphs. */
type RevisionsFetch = (
  url: string,
  init: { headers: Record<string, string>; signal: AbortSignal },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

/**
 * Reads the revisions from the subgraph `endpoints` names (filled as the gateway loads), signed as every call, with
 * `fetcher`: the gateway's keep-alive client to the subgraphs, where it has one. A failed read opens a circuit
 * (cockatiel's, as for subgraph calls): while housing hangs, one request waits for the time limit, not every one.
 */
export function revisionsFrom(
  endpoints: ReadonlyMap<string, string>,
  signing: SubgraphSigning,
  fetcher: RevisionsFetch = fetch,
  policy: RevisionsReadPolicy = REVISIONS_READ_POLICY,
): () => Promise<GraphRevisions> {
  const breaker = circuitBreaker(handleAll, { halfOpenAfter: policy.coolDownMs, breaker: new ConsecutiveBreaker(1) });
  return () =>
    breaker.execute(async () => {
      const subgraphUrl = endpoints.get(REVISIONS_SUBGRAPH);
      if (subgraphUrl === undefined) throw new Error(`The supergraph has no ${REVISIONS_SUBGRAPH} subgraph to read revisions from.`);
      const url = new URL(REVISIONS_PATH, subgraphUrl).href;
      const headers: Record<string, string> = {
        [SUBGRAPH_SIGNATURE_HEADER]: signatureFor(signing, { body: REVISIONS_SIGNED_BODY, authorization: undefined }),
      };
      // In the trace of the request that started the read.
      injectTraceContext({ set: (name, value) => (headers[name] = value) });
      const response = await fetcher(url, { headers, signal: AbortSignal.timeout(policy.timeoutMs) });
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      return ((await response.json()) as { revisions: GraphRevisions }).revisions;
    });
}
