import path from 'node:path';
import { type EmbeddedMongo, startEmbeddedMongo } from '../../embedded-mongo';
import { spawnService } from '../../scripts/start/childService';
import { freePort } from '../support/ports';

/**
 * SIGTERM closes a subgraph process by itself: HTTP drained (the drain of in-flight requests is tested in
 * lib/http), then its MongoDB connection closed, then exit 0, well before the launcher's SIGKILL.
 */
describe('a subgraph process on SIGTERM', () => {
  let mongo: EmbeddedMongo;

  beforeAll(async () => {
    mongo = await startEmbeddedMongo();
  });

  afterAll(() => mongo.stop());

  it('exits 0 by itself', async () => {
    const port = await freePort();
    const service = spawnService({
      name: 'housing',
      entry: 'subgraphs/housing/index.ts',
      cwd: path.resolve(__dirname, '../..'),
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', MONGODB_URI: mongo.uri, NODE_ENV: 'test' },
      healthUrl: `http://127.0.0.1:${port}/health`,
      liveUrl: `http://127.0.0.1:${port}/health/live`,
      stopGraceMs: 20_000,
    });
    await service.ready;

    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    const started = Date.now();
    await service.stop();

    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 60_000);
});
