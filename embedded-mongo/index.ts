import { executeCommand } from './commands/commandDispatcher';
import { WireServer } from './protocol/wireServer';
import type { Evaluation } from './evaluation';
import { CursorRegistry } from './query/cursorRegistry';
import { restoreSnapshotFile } from './snapshot/snapshotFile';
import { SnapshotWriter } from './snapshot/snapshotWriter';
import { Catalog } from './storage/catalog';

export interface EmbeddedMongo {
  /** A connection string the official driver accepts as-is: `new MongoClient(uri)`. */
  uri: string;
  port: number;
  /** Closes all connections and, with a snapshot path, saves the data one last time. */
  stop(): Promise<void>;
}

export interface EmbeddedMongoOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Where data is loaded from at start and saved to after writes and at stop; in memory only without it. */
  snapshotPath?: string;
  /** `native` by default; `mingo` only to measure or rule out the native paths (see evaluation.ts). */
  evaluation?: Evaluation;
}

/** Starts an in-process server speaking the MongoDB wire protocol (see README.md for what it supports). */
export async function startEmbeddedMongo(options: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
  const { port = 0, host = '127.0.0.1', snapshotPath, evaluation } = options;
  const catalog = new Catalog(evaluation);
  let snapshotWriter: SnapshotWriter | undefined;
  if (snapshotPath !== undefined) {
    await restoreSnapshotFile(snapshotPath, catalog);
    snapshotWriter = new SnapshotWriter(snapshotPath, catalog);
  }

  const cursors = new CursorRegistry();
  const server = new WireServer(({ command, databaseName }, connectionId) =>
    executeCommand(command, { catalog, cursors, databaseName, connectionId }),
  );
  const boundPort = await server.listen(host, port);
  const uriHost = host.includes(':') ? `[${host}]` : host;
  return {
    // directConnection: talk to this one server rather than discovering a replica set.
    uri: `mongodb://${uriHost}:${boundPort}/?directConnection=true`,
    port: boundPort,
    async stop() {
      await server.close();
      await snapshotWriter?.close();
    },
  };
}
