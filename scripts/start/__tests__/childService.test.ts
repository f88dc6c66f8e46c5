import { createServer } from 'node:net';
import path from 'node:path';
import { spawnService, type ChildService } from '../childService';

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURE = path.relative(ROOT, path.join(__dirname, 'fixtures/healthService.ts'));

const started: ChildService[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((child) => child.stop()));
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const QUICK_LIVENESS = { intervalMs: 200, timeoutMs: 300, failures: 3 };

async function spawnFixture(env: NodeJS.ProcessEnv = {}, stopGraceMs?: number): Promise<ChildService> {
  const port = await freePort();
  const child = spawnService({
    name: 'fixture',
    entry: FIXTURE,
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    healthUrl: `http://127.0.0.1:${port}/health`,
    liveUrl: `http://127.0.0.1:${port}/health/live`,
    readyTimeoutMs: 20_000,
    stopGraceMs,
    liveness: QUICK_LIVENESS,
  });
  started.push(child);
  return child;
}

describe('spawnService', () => {
  it('is ready once /health answers, and stops with SIGTERM', async () => {
    const child = await spawnFixture();
    await expect(child.ready).resolves.toBeUndefined();
    await child.stop();
    await expect(child.exited).resolves.toEqual({ code: 0, signal: null });
  });

  it('fails to become ready when the child exits first, and reports how it exited', async () => {
    const child = await spawnFixture({ FIXTURE_EXIT_CODE: '3' });
    await expect(child.ready).rejects.toThrow('fixture exited before it was ready');
    await expect(child.exited).resolves.toEqual({ code: 3, signal: null });
  });

  it('kills a ready child that stops answering its liveness check, and says so', async () => {
    const child = await spawnFixture({ FIXTURE_HANG_AFTER_MS: '500' });
    await child.ready;
    await expect(child.exited).resolves.toEqual({ code: null, signal: 'SIGKILL', unresponsive: true });
  });

  it('leaves a ready child that keeps answering alone', async () => {
    const child = await spawnFixture();
    await child.ready;
    const outcome = await Promise.race([child.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 1_500))]);
    expect(outcome).toBe('still running');
  });

  it('kills a child that does not stop within the grace period', async () => {
    const child = await spawnFixture({ FIXTURE_IGNORE_SIGTERM: '1' }, 500);
    await child.ready;
    await child.stop();
    await expect(child.exited).resolves.toEqual({ code: null, signal: 'SIGKILL' });
  });
});
