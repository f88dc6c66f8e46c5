/**
 * Constant subgraphs for the gateway-only comparison, as the public gateway benchmarks use: one process serving the
 * four subgraphs on ports of their own, answering from a recording and doing no other work.
 *
 * Recording first: each request is forwarded to the real subgraph (signed, with the benchmark's coordinator token,
 * whatever the gateway sent) and its answer kept under the request's canonical form (the query printed from its parse,
 * the variables with sorted keys, the operation name). `POST /__replay` then stops forwarding: from then on a request
 * is answered with the recorded bytes, and a request not recorded (a query the gateway did not send while recording)
 * gets a GraphQL error, counted: no gateway can skip or reshape the work it is measured on.
 * `GET /health` (and `/health/ready`) reports the requests served as `mongoCommands` (no database here), so that the
 * benchmark's idle-to-idle accounting works unchanged; `GET /__stats` reports the requests served and those refused.
 *
 * Environment: FIXED_SUBGRAPHS (JSON: [{ name, port, upstream }]), RECORD_AUTHORIZATION, SUBGRAPH_SIGNING_SECRET.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { parse, print } from 'graphql';
import { SUBGRAPH_SIGNATURE_HEADER, signatureFor, subgraphSigningFromEnv } from '../../lib/auth/subgraphSignature';

interface FixedSubgraph {
  name: string;
  port: number;
  upstream: string;
}

interface SubgraphRequest {
  query?: string;
  variables?: unknown;
  operationName?: string;
}

const UNEXPECTED = JSON.stringify({ errors: [{ message: 'Not a query this subgraph was recorded answering.' }] });

/** Objects with their keys sorted, so that the same variables in another order give the same key. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, entry]) => [key, sortedKeys(entry)]),
    );
  return value;
}

const printed = new Map<string, string>();

/** The request as the subgraph understands it: whitespace and key order aside, nothing may differ. */
function canonicalKey(body: string): string {
  const request = JSON.parse(body) as SubgraphRequest;
  const query = request.query ?? '';
  let canonicalQuery = printed.get(query);
  if (canonicalQuery === undefined) {
    canonicalQuery = print(parse(query));
    printed.set(query, canonicalQuery);
  }
  return JSON.stringify([canonicalQuery, sortedKeys(request.variables ?? {}), request.operationName ?? null]);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function main(env: NodeJS.ProcessEnv): void {
  const subgraphs = JSON.parse(env.FIXED_SUBGRAPHS ?? '[]') as FixedSubgraph[];
  const authorization = env.RECORD_AUTHORIZATION ?? '';
  const signing = subgraphSigningFromEnv(env);
  let replaying = false;
  const stats = { served: 0, unexpected: 0, recorded: 0 };

  for (const subgraph of subgraphs) {
    const answers = new Map<string, string>();
    let served = 0;
    const json = (response: ServerResponse, status: number, text: string) => {
      response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      response.end(text);
    };
    const record = async (key: string, body: string): Promise<string> => {
      const upstream = await fetch(subgraph.upstream, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization,
          [SUBGRAPH_SIGNATURE_HEADER]: signatureFor(signing, { body, authorization }),
        },
        body,
      });
      const text = await upstream.text();
      if (!upstream.ok) throw new Error(`${subgraph.name} answered ${upstream.status} while recording: ${text.slice(0, 300)}`);
      answers.set(key, text);
      stats.recorded += 1;
      return text;
    };
    const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
      if (request.method === 'GET' && request.url?.startsWith('/health')) {
        // `/health` and `/health/ready`, as a subgraph answers them (our gateway's readiness probes the latter).
        json(response, 200, JSON.stringify({ ready: true, mongo: 'ok', mongoCommands: { commands: served, milliseconds: 0 } }));
      } else if (request.method === 'GET' && request.url === '/__stats') {
        json(response, 200, JSON.stringify(stats));
      } else if (request.method === 'POST' && request.url === '/__replay') {
        replaying = true;
        json(response, 200, JSON.stringify(stats));
      } else {
        const body = await readBody(request);
        served += 1;
        stats.served += 1;
        const key = canonicalKey(body);
        const answer = answers.get(key) ?? (replaying ? undefined : await record(key, body));
        if (answer === undefined) stats.unexpected += 1;
        json(response, 200, answer ?? UNEXPECTED);
      }
    };
    const server = createServer((request, response) => {
      handle(request, response).catch((error: unknown) => {
        process.stderr.write(`${subgraph.name}: ${error instanceof Error ? error.message : String(error)}\n`);
        if (!response.headersSent) json(response, 500, UNEXPECTED);
      });
    });
    server.keepAliveTimeout = 60_000;
    server.listen(subgraph.port, '127.0.0.1');
  }
  process.stdout.write('fixed subgraphs listening\n');
}

main(process.env);
