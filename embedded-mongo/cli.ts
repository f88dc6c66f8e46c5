import { parseArgs } from 'node:util';
import { EVALUATIONS } from './evaluation';
import { startEmbeddedMongo } from './index';

/**
 * Runs the embedded server standalone: `tsx embedded-mongo/cli.ts --port 27017 --data .data` (a data folder:
 * checkpoint, journal, lock; in memory only without it), `--evaluation mingo` to turn the native fast
 * paths off (see evaluation.ts).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '27017' },
      host: { type: 'string', default: '127.0.0.1' },
      data: { type: 'string' },
      evaluation: { type: 'string', default: 'native' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got '${values.port}'`);

  const evaluation = EVALUATIONS.find((known) => known === values.evaluation);
  if (evaluation === undefined) throw new Error(`--evaluation must be one of ${EVALUATIONS.join(', ')}, got '${values.evaluation}'`);

  const server = await startEmbeddedMongo({ port, host: values.host, dataDirectory: values.data, evaluation });
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
