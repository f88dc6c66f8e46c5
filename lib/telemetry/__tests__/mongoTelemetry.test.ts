import { Registry } from 'prom-client';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../../embedded-mongo';
import { connectMongo } from '../../../subgraphs/shared/mongo';

describe('MongoDB metrics', () => {
  let mongo: EmbeddedMongo;

  beforeAll(async () => {
    mongo = await startEmbeddedMongo();
  });

  afterAll(() => mongo.stop());

  it('measure each command by command, collection and outcome, and the pool’s connections, never a value', async () => {
    const registry = new Registry();
    const client = await connectMongo(mongo.uri, { metrics: registry });
    try {
      const buildings = client.db('metrics-test').collection<{ _id: string; street: string }>('buildings');
      await buildings.insertOne({ _id: 'b1', street: 'rue du Témoin Privé' });
      await buildings.find({ street: 'rue du Témoin Privé' }).toArray();
      await buildings.insertOne({ _id: 'b1', street: 'rue du Témoin Privé' }).catch(() => undefined);

      const text = await registry.metrics();
      expect(text).toMatch(/mongodb_command_duration_seconds_count\{command="find",collection="buildings",outcome="ok"\} 1\n/);
      expect(text).toMatch(/mongodb_command_duration_seconds_count\{command="insert",collection="buildings",outcome="ok"\} 2\n/);
      expect(text).toMatch(/mongodb_pool_connections\{state="open"\} [1-9]/);
      expect(text).toMatch(/mongodb_pool_connections\{state="in_use"\} 0\n/);
      expect(text).not.toMatch(/ping|hello/);
      expect(text).not.toContain('Témoin');
    } finally {
      await client.close();
    }
  });
});
