import { MongoClient } from 'mongodb';
import { resolveMongo } from '../resolveMongo';

describe('resolveMongo', () => {
  it('uses MONGODB_URI as is, and leaves that server alone on stop', async () => {
    const resolved = await resolveMongo({ env: { MONGODB_URI: 'mongodb://db.example:27017/quartier' } });

    expect(resolved).toMatchObject({ kind: 'external', uri: 'mongodb://db.example:27017/quartier' });
    await expect(resolved.stop()).resolves.toBeUndefined();
  });

  // These machines have no mongod binary, so without MONGODB_URI the embedded server is next.
  it('falls back to the embedded server, which the driver can use right away', async () => {
    const resolved = await resolveMongo({ env: {} });
    const client = new MongoClient(resolved.uri);
    try {
      expect(resolved.kind).toBe('embedded');
      await expect(client.db('admin').command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
    } finally {
      await client.close();
      await resolved.stop();
    }
  });
});
