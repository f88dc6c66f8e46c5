import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';

/**
 * GATEWAY_WORKERS=2: the gateway serves from two node:cluster workers, which stop with it and take it down with them,
 * and answer /metrics for both.
 */

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
  // Generous: each worker loads TypeScript and plans the supergraph, on CPUs that the rest of the suite keeps busy.
  const deadline = Date.now() + 90_000;
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

/** A POST without a token on a connection of its own (so that connections spread over the workers): status only. */
function postWithoutToken(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(JSON.stringify({ query: '{ districts { id } }' }));
  });
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
  }, 150_000);

  it('answers /metrics with every worker’s figures summed, whichever worker takes the scrape', async () => {
    const { primary, exited } = await startClusteredGateway(port + 50);
    try {
      const statuses = [];
      for (let attempt = 0; attempt < 6; attempt += 1) statuses.push(await postWithoutToken(port + 50));
      expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);
      for (let scrape = 0; scrape < 2; scrape += 1) {
        const response = await fetch(`http://127.0.0.1:${port + 50}/metrics`, { headers: { connection: 'close' } });
        expect(response.status).toBe(200);
        expect(await response.text()).toMatch(/^graphql_errors_total\{[^}]*code="UNAUTHENTICATED"[^}]*\} 6$/m);
      }
    } finally {
      primary.kill('SIGTERM');
      await exited;
    }
  }, 150_000);

  it('stops altogether, exit code 1, when a worker dies on its own', async () => {
    const { primary, exited } = await startClusteredGateway(port + 100);
    const workers = workersOf(primary.pid!);
    process.kill(workers[0]!, 'SIGKILL');
    expect(await exited).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(workers.filter(isRunning)).toEqual([]);
  }, 150_000);
});
