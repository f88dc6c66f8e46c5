import { parseArgs } from 'node:util';
import { startEmbeddedMongo } from './index';

/** Runs the embedded server standalone: `tsx embedded-mongo/cli.ts --port 27017 --snapshot .data/embedded.bson` */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '27017' },
      host: { type: 'string', default: '127.0.0.1' },
      snapshot: { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got '${values.port}'`);

  const server = await startEmbeddedMongo({ port, host: values.host, snapshotPath: values.snapshot });
  console.log(server.uri);

  const stop = (): void => {
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
