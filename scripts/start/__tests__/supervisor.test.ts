import pino from 'pino';
import type { ChildExit, ChildService } from '../childService';
import { RestartBackoff } from '../restartBackoff';
import { supervise } from '../supervisor';

/** A run of a service that the test drives: it becomes ready, exits, or is stopped when the test says. */
class FakeRun implements ChildService {
  readonly name = 'housing';
  readonly pid: number;
  readonly ready: Promise<void>;
  readonly exited: Promise<ChildExit>;
  stopped = false;
  becomeReady!: () => void;
  failToStart!: () => void;
  exit!: (exit: ChildExit) => void;

  constructor(pid: number) {
    this.pid = pid;
    this.ready = new Promise((resolve, reject) => {
      this.becomeReady = resolve;
      this.failToStart = () => reject(new Error('not ready in time'));
    });
    this.exited = new Promise((resolve) => (this.exit = resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.exit({ code: null, signal: 'SIGTERM' });
  }
}

/** Lets every pending promise callback run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function supervisedFake() {
  const runs: FakeRun[] = [];
  const waits: number[] = [];
  let clock = 0;
  const waiting: (() => void)[] = [];
  const service = supervise({
    name: 'housing',
    start: () => {
      const run = new FakeRun(100 + runs.length);
      runs.push(run);
      return run;
    },
    backoff: new RestartBackoff({ initialDelayMs: 500, maxDelayMs: 30_000, healthyRunMs: 60_000 }),
    logger: pino({ level: 'silent' }),
    now: () => clock,
    wait: (milliseconds, signal) =>
      new Promise((resolve) => {
        waits.push(milliseconds);
        waiting.push(resolve);
        signal.addEventListener('abort', () => resolve(), { once: true });
      }),
  });
  return {
    service,
    runs,
    waits,
    advanceClock: (milliseconds: number) => (clock += milliseconds),
    endWait: async () => {
      waiting.shift()?.();
      await settle();
    },
  };
}

describe('supervise', () => {
  it('restarts a service that exits, after the backoff, and doubles the wait while it keeps failing', async () => {
    const { service, runs, waits, endWait } = supervisedFake();
    runs[0]!.becomeReady();
    await expect(service.firstReady).resolves.toBeUndefined();

    runs[0]!.exit({ code: 1, signal: null });
    await settle();
    expect(waits).toEqual([500]);
    expect(runs).toHaveLength(1);
    await endWait();
    expect(runs).toHaveLength(2);

    runs[1]!.exit({ code: null, signal: 'SIGKILL' });
    await settle();
    await endWait();
    expect(waits).toEqual([500, 1_000]);
    expect(runs).toHaveLength(3);
    await service.stop();
  });

  it('waits the first delay again after a run that was healthy for a while', async () => {
    const { service, runs, waits, endWait, advanceClock } = supervisedFake();
    runs[0]!.exit({ code: 1, signal: null });
    await settle();
    await endWait();
    runs[1]!.becomeReady();
    await settle();
    advanceClock(60_000);
    runs[1]!.exit({ code: 1, signal: null });
    await settle();
    expect(waits).toEqual([500, 500]);
    await service.stop();
  });

  it('stops a run that never becomes ready, and starts another', async () => {
    const { service, runs, endWait } = supervisedFake();
    runs[0]!.failToStart();
    await settle();
    expect(runs[0]!.stopped).toBe(true);
    await endWait();
    expect(runs).toHaveLength(2);
    await service.stop();
  });

  it('once stopped, stops the current run and starts none, even during a backoff', async () => {
    const { service, runs } = supervisedFake();
    runs[0]!.becomeReady();
    await service.stop();
    expect(runs[0]!.stopped).toBe(true);

    const { service: failing, runs: failingRuns } = supervisedFake();
    failingRuns[0]!.exit({ code: 1, signal: null });
    await settle();
    await failing.stop();
    await settle();
    expect(failingRuns).toHaveLength(1);
  });
});
