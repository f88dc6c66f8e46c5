import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Where a traced gateway of the benchmark sends its spans: an OTLP/HTTP endpoint that reads and discards them. */
export interface OtlpSink {
  /** The base URL, as OTEL_EXPORTER_OTLP_ENDPOINT takes it (the exporter adds /v1/traces). */
  url: string;
  /** Spans batches received so far, to check the traced gateway did export. */
  exports(): number;
  close(): Promise<void>;
}

/**
 * Accepts every OTLP export with an empty success, as a collector would, so that the traced gateway pays for
 * making, batching, encoding and sending its spans and for nothing downstream.
 */
export async function startOtlpSink(): Promise<OtlpSink> {
  let exports = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      exports += 1;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exports: () => exports,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
