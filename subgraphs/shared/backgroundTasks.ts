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

/**
 * Starts the tasks' runs while the subgraph serves: now for those that run at start, then at each one's interval;
 * returns what stops them. `afterEachRun` follows every run, a failed one too (it may have written part of its work):
 * the subgraph makes its revision new there, as after a mutation (graphRevisions.ts).
 */
export function startBackgroundTasks(
  tasks: readonly BackgroundTask[],
  db: Db,
  logger: Logger,
  afterEachRun: () => Promise<void> = () => Promise.resolve(),
): () => void {
  const timers = tasks.map((task) => {
    const run = () => {
      task
        .run(db, logger)
        .catch((error: unknown) => logger.error({ err: error, task: task.name }, `${task.name} failed; it runs again at the next interval`))
        .then(afterEachRun)
        .catch((error: unknown) => logger.error({ err: error, task: task.name }, `what follows ${task.name} failed`));
    };
    if (task.runAtStart) run();
    const timer = setInterval(run, task.everyMs);
    timer.unref();
    return timer;
  });
  return () => timers.forEach((timer) => clearInterval(timer));
}
