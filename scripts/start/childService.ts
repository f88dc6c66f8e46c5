import { spawn } from 'node:child_process';
import { SERVICE_NODE_FLAGS } from '../../lib/http/serviceProcess';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Killed by us because it stopped answering its liveness check: alive, but hung. */
  unresponsive?: true;
}

/** A service running as a child process of the launcher, which it does not outlive. */
export interface ChildService {
  name: string;
  pid: number | undefined;
  /**
   * Resolves once `healthUrl` answers 200; rejects if the child exits first or takes too long. From then on
   * `liveUrl` is polled, and a child that stops answering it is killed (see `Liveness`).
   */
  ready: Promise<void>;
  exited: Promise<ChildExit>;
  /** SIGTERM, then SIGKILL if the child has not exited within the grace period. */
  stop(): Promise<void>;
}

export interface SpawnServiceOptions {
  name: string;
  /** A TypeScript entry point, relative to `cwd`. */
  entry: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  healthUrl: string;
  /** Answers while the process itself does, whatever its dependencies (`/health/live`). */
  liveUrl: string;
  readyTimeoutMs?: number;
  stopGraceMs?: number;
  liveness?: Liveness;
}

/**
 * A ready child is polled every `intervalMs`; after `failures` checks in a row that got no 200 within `timeoutMs`,
 * it is taken as hung (a blocked event loop, a deadlock) and killed with SIGKILL, since a hung process cannot run its
 * SIGTERM handler; its supervisor then starts it again. A few failures in a row, not one, so that a long garbage
 * collection or a burst of load does not cost a restart.
 */
export interface Liveness {
  intervalMs: number;
  timeoutMs: number;
  failures: number;
}

const DEFAULT_LIVENESS: Liveness = { intervalMs: 5_000, timeoutMs: 2_000, failures: 3 };

const HEALTH_POLL_INTERVAL_MS = 200;

export function spawnService(options: SpawnServiceOptions): ChildService {
  // One process per service, TypeScript loaded in-process: signals reach the service itself, not a wrapper. The IPC
  // channel is the child's link to us: it closes when this process ends, even by SIGKILL, and the child then exits
  // (lib/http/serviceProcess.ts).
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, '--import', 'tsx', options.entry], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  let unresponsive = false;
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => resolve(unresponsive ? { code, signal, unresponsive } : { code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;

  const ready = waitForHealth(options.healthUrl, options.readyTimeoutMs ?? 60_000, hasExited).then((healthy) => {
    if (!healthy) throw new Error(hasExited() ? `${options.name} exited before it was ready` : `${options.name} was not ready in time`);
  });
  // Once one service has failed, nobody waits for the others to be ready; their failure is no news.
  ready.catch(() => undefined);
  void ready
    .then(
      () => watchLiveness(options.liveUrl, options.liveness ?? DEFAULT_LIVENESS, hasExited),
      () => 'exited',
    )
    .then((outcome) => {
      if (outcome !== 'hung') return;
      unresponsive = true;
      child.kill('SIGKILL');
    });

  return {
    name: options.name,
    pid: child.pid,
    exited,
    ready,
    async stop() {
      if (hasExited()) return;
      child.kill('SIGTERM');
      const forceKill = setTimeout(() => child.kill('SIGKILL'), options.stopGraceMs ?? 15_000);
      await exited;
      clearTimeout(forceKill);
    },
  };
}

/** Polls `url` until the child exits or misses `failures` checks in a row. */
async function watchLiveness(url: string, liveness: Liveness, gaveUp: () => boolean): Promise<'hung' | 'exited'> {
  let missed = 0;
  while (!gaveUp()) {
    // Unreferenced: the watch alone never keeps the launcher (or a test) running.
    await new Promise((resolve) => setTimeout(resolve, liveness.intervalMs).unref());
    if (gaveUp()) break;
    missed = (await answersOk(url, liveness.timeoutMs)) ? 0 : missed + 1;
    if (missed >= liveness.failures) return 'hung';
  }
  return 'exited';
}

async function waitForHealth(url: string, timeoutMs: number, gaveUp: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gaveUp()) {
    if (await answersOk(url)) return true;
    await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_INTERVAL_MS));
  }
  return false;
}

async function answersOk(url: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}
