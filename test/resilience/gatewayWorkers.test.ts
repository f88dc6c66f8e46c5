import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** GATEWAY_WORKERS=2: the gateway serves from two node:cluster workers, which stop with it and take it down with them. */

const ROOT = path.resolve(__dirname, '../..');

function workersOf(pid: number): number[] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return children ? children.split(/\s+/).map(Number) : [];
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function startClusteredGateway(port: number): Promise<{ primary: ChildProcess; exited: Promise<number | null> }> {
  const primary = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', PORT: String(port), HOST: '127.0.0.1', GATEWAY_WORKERS: '2', LOG_LEVEL: 'silent' },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => primary.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const healthy = await fetch(`http://127.0.0.1:${port}/health/live`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy && workersOf(primary.pid!).length === 2) return { primary, exited };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  primary.kill('SIGKILL');
  throw new Error('the clustered gateway did not start');
}

describe('a gateway with GATEWAY_WORKERS=2', () => {
  const port = 4900 + (process.pid % 90);

  it('serves from two workers and, on SIGTERM, stops them and exits 0', async () => {
    const { primary, exited } = await startClusteredGateway(port);
    const workers = workersOf(primary.pid!);
    expect(workers).toHaveLength(2);
    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(workers.filter(isRunning)).toEqual([]);
  }, 60_000);

  it('stops altogether, exit code 1, when a worker dies on its own', async () => {
    const { primary, exited } = await startClusteredGateway(port + 100);
    const workers = workersOf(primary.pid!);
    process.kill(workers[0]!, 'SIGKILL');
    expect(await exited).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(workers.filter(isRunning)).toEqual([]);
  }, 60_000);
});
