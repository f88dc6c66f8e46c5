import type { Db } from 'mongodb';
import type { Logger } from 'pino';

/**
 * Work a subgraph does on its own data outside any request, at an interval while it runs (data kept in step with
 * other data, purges). `startSubgraph` runs, logs and stops every task of a subgraph here.
 */
export interface BackgroundTask {
  /** Names the task in the logs. */
  name: string;
  /** Once before the subgraph serves, awaited (a failure stops the start): for data its answers rely on. */
  beforeServing?: (db: Db, logger: Logger) => Promise<void>;
  /** `run` also runs once as the subgraph starts serving, not awaited (a failure is logged, as a periodic run's). */
  runAtStart?: boolean;
  everyMs: number;
  run: (db: Db, logger: Logger) => Promise<void>;
}

/** The tasks' work that must be done before the subgraph serves, one task after the other. */
export async function runBeforeServing(tasks: readonly BackgroundTask[], db: Db, logger: Logger): Promise<void> {
  for (const task of tasks) await task.beforeServing?.(db, logger);
}

/** Starts the tasks' runs while the subgraph serves: now for those that run at start, then at each one's interval; returns what stops them. */
export function startBackgroundTasks(tasks: readonly BackgroundTask[], db: Db, logger: Logger): () => void {
  const timers = tasks.map((task) => {
    const run = () => {
      task
        .run(db, logger)
        .catch((error: unknown) =>
          logger.error({ err: error, task: task.name }, `${task.name} failed; it runs again at the next interval`),
        );
    };
    if (task.runAtStart) run();
    const timer = setInterval(run, task.everyMs);
    // A task never keeps the process alive: closing the service is what ends it.
    timer.unref();
    return timer;
  });
  return () => timers.forEach((timer) => clearInterval(timer));
}
