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

async function spawnFixture(env: NodeJS.ProcessEnv = {}, stopGraceMs?: number): Promise<ChildService> {
  const port = await freePort();
  const child = spawnService({
    name: 'fixture',
    entry: FIXTURE,
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    healthUrl: `http://127.0.0.1:${port}/health`,
    readyTimeoutMs: 20_000,
    stopGraceMs,
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

  it('kills a child that does not stop within the grace period', async () => {
    const child = await spawnFixture({ FIXTURE_IGNORE_SIGTERM: '1' }, 500);
    await child.ready;
    await child.stop();
    await expect(child.exited).resolves.toEqual({ code: null, signal: 'SIGKILL' });
  });
});
