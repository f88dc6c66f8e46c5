import type { Logger } from 'pino';
import type { ChildService } from './childService';
import { RestartBackoff } from './restartBackoff';

/** A service the launcher keeps running: started again, after a backoff, whenever it exits on its own. */
export interface SupervisedService {
  name: string;
  /** Resolves once the first run is ready; later runs only log when they are back. */
  firstReady: Promise<void>;
  /** Stops the current run (SIGTERM, then SIGKILL) and any restart to come. */
  stop(): Promise<void>;
}

export interface SuperviseOptions {
  name: string;
  /** Starts one run of the service. */
  start: () => ChildService;
  backoff: RestartBackoff;
  logger: Logger;
  now?: () => number;
  /** Waits before a restart; resolves early when `signal` aborts (the launcher stopping). */
  wait?: (milliseconds: number, signal: AbortSignal) => Promise<void>;
}

/**
 * Runs a service and restarts it whenever it exits or never becomes ready, waiting as `backoff` says; the other
 * services keep serving meanwhile (the gateway answers for a missing subgraph with SUBGRAPH_UNAVAILABLE).
 */
export function supervise(options: SuperviseOptions): SupervisedService {
  const { name, logger, backoff } = options;
  const now = options.now ?? Date.now;
  const wait = options.wait ?? abortableDelay;
  const stopping = new AbortController();
  // A function, not the property itself: the compiler would keep `aborted` narrowed to false across the awaits below.
  const isStopping = () => stopping.signal.aborted;
  let current: ChildService | undefined;
  let markFirstReady: () => void = () => {};
  const firstReady = new Promise<void>((resolve) => (markFirstReady = resolve));

  const runUntilStopped = async () => {
    for (let run = 1; !isStopping(); run += 1) {
      const child = options.start();
      current = child;
      logger.info({ service: name, pid: child.pid, run }, `${name} started`);
      let readyAt: number | undefined;
      child.ready.then(
        () => {
          readyAt = now();
          markFirstReady();
          if (run > 1) logger.info({ service: name, run }, `${name} is back`);
        },
        // Exited before it was ready (seen below), or hung while starting: stopped, so that it starts again.
        () => void child.stop(),
      );
      const exit = await child.exited;
      if (isStopping()) return;
      const delayMs = backoff.delayAfterExit(readyAt === undefined ? 0 : now() - readyAt);
      const what = exit.unresponsive ? 'stopped answering its liveness check and was killed' : 'exited';
      logger.error({ service: name, ...exit, restartInMs: delayMs }, `${name} ${what}; restarting it in ${delayMs} ms`);
      await wait(delayMs, stopping.signal);
    }
  };
  const supervision = runUntilStopped();

  return {
    name,
    firstReady,
    async stop() {
      stopping.abort();
      await current?.stop();
      await supervision;
    },
  };
}

function abortableDelay(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, milliseconds);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
