import { spawn } from 'node:child_process';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A service running as a child process of the launcher, which it does not outlive. */
export interface ChildService {
  name: string;
  pid: number | undefined;
  /** Resolves once `healthUrl` answers 200; rejects if the child exits first or takes too long. */
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
  readyTimeoutMs?: number;
  stopGraceMs?: number;
}

const HEALTH_POLL_INTERVAL_MS = 200;

export function spawnService(options: SpawnServiceOptions): ChildService {
  // One process per service, TypeScript loaded in-process: signals reach the service itself, not a wrapper. The IPC
  // channel is the child's link to us: it closes when this process ends, even by SIGKILL, and the child then exits
  // (lib/http/serviceProcess.ts).
  const child = spawn(process.execPath, ['--import', 'tsx', options.entry], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;

  const ready = waitForHealth(options.healthUrl, options.readyTimeoutMs ?? 60_000, hasExited).then((healthy) => {
    if (!healthy) throw new Error(hasExited() ? `${options.name} exited before it was ready` : `${options.name} was not ready in time`);
  });
  // Once one service has failed, nobody waits for the others to be ready; their failure is no news.
  ready.catch(() => undefined);

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

async function waitForHealth(url: string, timeoutMs: number, gaveUp: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gaveUp()) {
    if (await answersOk(url)) return true;
    await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_INTERVAL_MS));
  }
  return false;
}

async function answersOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}
