import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTracing } from '../tracing';

/**
 * The exporter `startTracing` sets up from the standard variables, sending to a collector that records what it gets.
 * The service runs as a process of its own, as in production: the exporter loads its HTTP client lazily, which
 * jest's module sandbox does not allow.
 */
const SERVICE = `
  const { startTracing, tracerOf } = require(${JSON.stringify(path.resolve(__dirname, '../tracing.ts'))});
  startTracing('otlp-test-service').then((tracing) => {
    tracerOf('otlp-test').startSpan('a span worth exporting').end();
    return tracing.shutdown();
  }).then(() => process.exit(0));
`;
describe('startTracing with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  const received: { method?: string; url?: string; body: string }[] = [];
  let collector: Server;

  beforeAll(async () => {
    collector = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ method: request.method, url: request.url, body: Buffer.concat(chunks).toString('latin1') });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  });

  afterAll(() => new Promise<void>((resolve) => collector.close(() => resolve())));

  it('exports spans by OTLP/HTTP to the endpoint named, with the service name, once flushed', async () => {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', SERVICE], {
      env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}` },
      timeout: 60_000,
    });
    expect(received.map(({ method, url }) => [method, url])).toEqual([['POST', '/v1/traces']]);
    expect(received[0]!.body).toContain('a span worth exporting');
    expect(received[0]!.body).toContain('otlp-test-service');
  }, 90_000);

  it('starts nothing without an exporter named', async () => {
    expect(await startTracing('another', {})).toBeUndefined();
  });
});
