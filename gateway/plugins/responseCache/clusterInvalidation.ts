import cluster, { type Worker } from 'node:cluster';
import type { Invalidation } from './responseStore';

/**
 * Invalidations across the gateway's node:cluster workers (GATEWAY_WORKERS): the worker that saw a write sends its
 * invalidation to the primary, which hands it to every other worker and answers once each has applied it (or
 * exited), so that the write's response leaves only when no worker can serve an answer from before it.
 */

const INVALIDATE = 'quartier-commun:response-cache:invalidate';
const INVALIDATED = 'quartier-commun:response-cache:invalidated';

export interface InvalidateMessage {
  type: typeof INVALIDATE;
  id: number;
  invalidation: Invalidation;
}

export interface InvalidatedMessage {
  type: typeof INVALIDATED;
  id: number;
}

export interface PeerCaches {
  /**
   * Resolves when every other worker has applied `invalidation`, or after `maxWaitMs` (a hung worker must not hang
   * the write: by then every answer it stored before the write has expired); at once outside a cluster.
   */
  invalidate(invalidation: Invalidation): Promise<void>;
}

/** How a worker talks to the primary: node:cluster's IPC channel, or a test's. */
export interface PrimaryChannel {
  send(message: InvalidateMessage | InvalidatedMessage): void;
  onMessage(listener: (message: unknown) => void): void;
}

const primaryChannel = (): PrimaryChannel | null =>
  cluster.isWorker ? { send: (message) => process.send?.(message), onMessage: (listener) => process.on('message', listener) } : null;

/**
 * In a worker: applies the other workers' invalidations here (`applyHere`), and sends this one's to them, waiting
 * `maxWaitMs` at most for their answers (the response cache's time to live).
 */
export function peerCaches(
  applyHere: (invalidation: Invalidation) => void,
  maxWaitMs: number,
  channel: PrimaryChannel | null = primaryChannel(),
): PeerCaches {
  if (!channel) return { invalidate: () => Promise.resolve() };
  const waiting = new Map<number, () => void>();
  let nextId = 0;
  channel.onMessage((message) => {
    if (isMessage<InvalidateMessage>(message, INVALIDATE)) {
      applyHere(message.invalidation);
      channel.send({ type: INVALIDATED, id: message.id });
    } else if (isMessage<InvalidatedMessage>(message, INVALIDATED)) {
      waiting.get(message.id)?.();
    }
  });
  return {
    invalidate: (invalidation) =>
      new Promise((resolve) => {
        const id = (nextId += 1);
        const done = () => {
          clearTimeout(timer);
          waiting.delete(id);
          resolve();
        };
        const timer = setTimeout(done, maxWaitMs);
        waiting.set(id, done);
        channel.send({ type: INVALIDATE, id, invalidation });
      }),
  };
}

/** In the primary: relays each worker's invalidations to the others and acknowledges them (see above). */
export function relayInvalidations(): void {
  /** Relayed invalidations not yet applied everywhere: the workers still to answer, and whom to tell when they have. */
  const rounds = new Map<number, { remaining: Set<number>; done: () => void }>();
  let nextRound = 0;
  const answered = (round: number, workerId: number) => {
    const pending = rounds.get(round);
    if (!pending?.remaining.delete(workerId) || pending.remaining.size > 0) return;
    rounds.delete(round);
    pending.done();
  };

  cluster.on('message', (origin: Worker, message: unknown) => {
    if (isMessage<InvalidatedMessage>(message, INVALIDATED)) {
      answered(message.id, origin.id);
      return;
    }
    if (!isMessage<InvalidateMessage>(message, INVALIDATE)) return;
    const done = () => {
      if (origin.isConnected()) origin.send({ type: INVALIDATED, id: message.id } satisfies InvalidatedMessage);
    };
    const others = Object.values(cluster.workers ?? {}).filter(
      (worker): worker is Worker => worker !== undefined && worker !== origin && worker.isConnected(),
    );
    if (others.length === 0) {
      done();
      return;
    }
    const round = (nextRound += 1);
    rounds.set(round, { remaining: new Set(others.map((worker) => worker.id)), done });
    for (const worker of others)
      worker.send({ type: INVALIDATE, id: round, invalidation: message.invalidation } satisfies InvalidateMessage);
  });
  // A worker that exits serves nothing stale: it no longer holds up the invalidations it was sent.
  cluster.on('exit', (worker) => {
    for (const round of [...rounds.keys()]) answered(round, worker.id);
  });
}

function isMessage<T extends { type: string }>(message: unknown, type: T['type']): message is T {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}
