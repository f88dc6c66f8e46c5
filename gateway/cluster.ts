import cluster from 'node:cluster';
import type { Logger } from 'pino';
import { onLauncherGone } from '../lib/http/serviceProcess';
import { gatherWorkerMetrics } from '../lib/telemetry/metricsEndpoint';

/**
 * Serves from `workers` processes sharing one port (node:cluster spreads connections among them), so the
 * gateway uses that many cores; with 1, `start` runs in this process. In the primary, SIGINT/SIGTERM (or the
 * launcher going away) stop every worker (each drains its requests) before the primary exits; a worker dying on its
 * own stops the whole gateway, so that whoever runs it restarts it rather than it serving on with fewer workers.
 * The primary gathers the workers' metrics for whichever worker a scrape of `/metrics` reaches.
 */
export function runInWorkers(workers: number, start: () => void, logger: Logger): void {
  if (workers <= 1 || !cluster.isPrimary) {
    start();
    return;
  }
  let stopping = false;
  let exitCode = 0;
  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  cluster.on('exit', (worker, code, signal) => {
    if (!stopping) {
      logger.error({ pid: worker.process.pid, code, signal }, 'a gateway worker stopped unexpectedly; stopping the gateway');
      stopAll(1);
    }
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
  });
  process.on('SIGINT', () => stopAll(0));
  process.on('SIGTERM', () => stopAll(0));
  onLauncherGone(() => stopAll(1));
  gatherWorkerMetrics();
  for (let index = 0; index < workers; index += 1) cluster.fork();
  logger.info({ workers }, 'gateway workers started');
}
