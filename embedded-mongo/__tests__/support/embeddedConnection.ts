import { MongoClient, type Db, type MongoClientOptions } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo, type EmbeddedMongoOptions } from '../../index';

/** A fresh embedded server on a random port, and an official driver client connected to it. */
export interface EmbeddedConnection {
  server: EmbeddedMongo;
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

export async function connectToNewServer(
  options: { server?: EmbeddedMongoOptions; client?: MongoClientOptions } = {},
): Promise<EmbeddedConnection> {
  const server = await startEmbeddedMongo(options.server);
  const client = await MongoClient.connect(server.uri, options.client);
  return {
    server,
    client,
    db: client.db('embedded_test'),
    async close() {
      await client.close();
      await server.stop();
    },
  };
}
