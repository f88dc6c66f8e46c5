import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { type BackgroundTask, runBeforeServing, startBackgroundTasks } from '../backgroundTasks';

// The tasks here never touch it.
const db = Symbol('db') as unknown as Db;

function fakeLogger() {
  const logger = { error: jest.fn(), info: jest.fn() };
  return { logger, asLogger: logger as unknown as Logger };
}

describe('background tasks', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('run every task at its own interval, at start too when asked, until stopped', () => {
    const { asLogger } = fakeLogger();
    const purge = jest.fn(async () => undefined);
    const reconcile = jest.fn(async () => undefined);
    const tasks: BackgroundTask[] = [
      { name: 'purge', runAtStart: true, everyMs: 60_000, run: purge },
      { name: 'reconcile', everyMs: 1_000, run: reconcile },
    ];

    const stop = startBackgroundTasks(tasks, db, asLogger);
    expect(purge).toHaveBeenCalledTimes(1);
    expect(reconcile).not.toHaveBeenCalled();
    jest.advanceTimersByTime(59_999);
    expect(purge).toHaveBeenCalledTimes(1);
    expect(reconcile).toHaveBeenCalledTimes(59);
    jest.advanceTimersByTime(1);
    expect(purge).toHaveBeenCalledTimes(2);
    expect(purge).toHaveBeenLastCalledWith(db, asLogger);

    stop();
    jest.advanceTimersByTime(10 * 60_000);
    expect(purge).toHaveBeenCalledTimes(2);
    expect(reconcile).toHaveBeenCalledTimes(60);
  });

  it('log a failed run and run the task again at the next interval', async () => {
    const { logger, asLogger } = fakeLogger();
    const run = jest.fn().mockRejectedValueOnce(new Error('database down')).mockResolvedValue(undefined);
    const stop = startBackgroundTasks([{ name: 'purge', runAtStart: true, everyMs: 1_000, run }], db, asLogger);
    await jest.advanceTimersByTimeAsync(0);
    expect(logger.error).toHaveBeenCalledWith(
      { err: new Error('database down'), task: 'purge' },
      'purge failed; it runs again at the next interval',
    );
    await jest.advanceTimersByTimeAsync(1_000);
    expect(run).toHaveBeenCalledTimes(2);
    expect(logger.error).toHaveBeenCalledTimes(1);
    stop();
  });

  it('follow every run, a failed one too, with what the subgraph does after each (it makes its revision new)', async () => {
    const { logger, asLogger } = fakeLogger();
    const order: string[] = [];
    const run = jest
      .fn()
      .mockImplementationOnce(async () => {
        order.push('run 1');
        throw new Error('database down');
      })
      .mockImplementation(async () => order.push('run 2'));
    const afterEachRun = jest.fn(async () => {
      order.push('revised');
    });
    const stop = startBackgroundTasks([{ name: 'purge', runAtStart: true, everyMs: 1_000, run }], db, asLogger, afterEachRun);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(order).toEqual(['run 1', 'revised', 'run 2', 'revised']);
    afterEachRun.mockRejectedValueOnce(new Error('database gone'));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(logger.error).toHaveBeenLastCalledWith({ err: new Error('database gone'), task: 'purge' }, 'what follows purge failed');
    stop();
  });

  it('finish the work before serving, in order, and let its failure stop the start', async () => {
    const { asLogger } = fakeLogger();
    const done: string[] = [];
    const task = (name: string, beforeServing?: BackgroundTask['beforeServing']): BackgroundTask => ({
      name,
      beforeServing,
      everyMs: 1_000,
      run: async () => undefined,
    });
    await runBeforeServing(
      [
        task('cells', async () => {
          await Promise.resolve();
          done.push('cells');
        }),
        task('purge'),
        task('other', async () => {
          done.push('other');
        }),
      ],
      db,
      asLogger,
    );
    expect(done).toEqual(['cells', 'other']);
    await expect(runBeforeServing([task('cells', () => Promise.reject(new Error('database down')))], db, asLogger)).rejects.toThrow(
      'database down',
    );
  });
});
