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

// Beyond it the cache is passed by (the request is executed), rather than held up by a subgraph that hangs.
const REVISIONS_TIMEOUT_MS = 2_000;

// Every subgraph serves every subgraph's revisions (they share the database); housing answers nearly every query anyway.
const REVISIONS_SUBGRAPH = 'housing';

/** Reads the revisions from the subgraph `endpoints` names (filled as the gateway loads), signed as every call. */
export function revisionsFrom(endpoints: ReadonlyMap<string, string>, signing: SubgraphSigning): () => Promise<GraphRevisions> {
  return async () => {
    const subgraphUrl = endpoints.get(REVISIONS_SUBGRAPH);
    if (subgraphUrl === undefined) throw new Error(`The supergraph has no ${REVISIONS_SUBGRAPH} subgraph to read revisions from.`);
    const url = new URL(REVISIONS_PATH, subgraphUrl);
    const signature = signatureFor(signing, { body: REVISIONS_SIGNED_BODY, authorization: undefined });
    const response = await fetch(url, {
      headers: { [SUBGRAPH_SIGNATURE_HEADER]: signature },
      signal: AbortSignal.timeout(REVISIONS_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`${url.href} answered ${response.status}`);
    return ((await response.json()) as { revisions: GraphRevisions }).revisions;
  };
}
