import { type EmbeddedMongo, startEmbeddedMongo } from '../../embedded-mongo';
import { authConfigFromEnv } from '../../lib/auth/config';
import { subgraphSigningFromEnv } from '../../lib/auth/subgraphSignature';
import type { RunningService } from '../../lib/http/serveGraphQL';
import { housingSubgraph } from '../../subgraphs/housing';
import { connectMongo } from '../../subgraphs/shared/mongo';
import { startSubgraph } from '../../subgraphs/shared/startSubgraph';

/** A subgraph is ready while its database answers; without it, it stays live and says the database is the part down. */
describe('a subgraph whose database goes away', () => {
  let mongo: EmbeddedMongo;
  let client: Awaited<ReturnType<typeof connectMongo>>;
  let subgraph: RunningService;

  beforeAll(async () => {
    mongo = await startEmbeddedMongo();
    client = await connectMongo(mongo.uri);
    subgraph = await startSubgraph(housingSubgraph as Parameters<typeof startSubgraph>[0], {
      port: 0,
      host: '127.0.0.1',
      db: client.db('database-down-test'),
      auth: authConfigFromEnv({ NODE_ENV: 'test' }),
      signing: subgraphSigningFromEnv({ NODE_ENV: 'test' }),
    });
  });

  afterAll(async () => {
    await subgraph.close();
    await client.close();
  });

  const health = async (path: string) => {
    const response = await fetch(new URL(path, subgraph.url));
    return { status: response.status, body: await response.json() };
  };

  it('is ready while the database answers', async () => {
    await expect(health('/health/ready')).resolves.toEqual({ status: 200, body: { status: 'ok', service: 'housing', mongo: 'ok' } });
  });

  it('answers 503 naming the database once it is gone, and stays live', async () => {
    await mongo.stop();
    const ready = await health('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'unavailable', service: 'housing', mongo: expect.stringMatching(/^(timeout|unreachable)$/) });
    await expect(health('/health')).resolves.toMatchObject({ status: 503 });
    await expect(health('/health/live')).resolves.toEqual({ status: 200, body: { status: 'ok', service: 'housing' } });
  });
});
