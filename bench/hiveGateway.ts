/**
 * The peer gateway of the benchmark: Hive Gateway (the Guild's) serving the same composed supergraph in
 * front of the same subgraphs, on 127.0.0.1. Like ours, it passes the client's Authorization header on to
 * every subgraph, which verifies it, and signs every subgraph call as ours does (SUBGRAPH_SIGNING_SECRET), since
 * subgraphs serve nothing else; unlike ours it does not verify the token itself.
 *
 * Environment: PORT, SUPERGRAPH_PATH, HOUSING_URL/TENANCY_URL/ACTIONS_URL/PARTNERS_URL, and HIVE_DEDUP=on|off:
 * on = its inbound in-flight deduplication (keyed on the Authorization header, as ours) plus its upstream
 * one (on by default in Hive); off = neither, for a like-for-like comparison with ours without deduplication.
 * HIVE_QUERY_PLANNER=rust plans with the Hive Router's query planner (`@graphql-hive/router-runtime`, Rust, a native
 * addon) instead of Hive Gateway's default JavaScript planner.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { unifiedGraphHandler as rustQueryPlanner } from '@graphql-hive/router-runtime';
import { SUBGRAPH_SIGNATURE_HEADER, signatureFor, subgraphSigningFromEnv } from '../lib/auth/subgraphSignature';
import { subgraphUrlsFromEnv } from '../lib/subgraphs';

function main(env: NodeJS.ProcessEnv): void {
  const supergraphPath = env.SUPERGRAPH_PATH;
  if (!supergraphPath) throw new Error('SUPERGRAPH_PATH must name the composed supergraph.');
  const deduplicate = env.HIVE_DEDUP !== 'off';
  const planner = env.HIVE_QUERY_PLANNER ?? 'javascript';
  if (planner !== 'javascript' && planner !== 'rust') throw new Error('HIVE_QUERY_PLANNER must be javascript or rust.');
  const signing = subgraphSigningFromEnv(env);
  const locations = Object.fromEntries(Object.entries(subgraphUrlsFromEnv(env)).map(([subgraph, url]) => [subgraph, { location: url }]));
  const gateway = createGatewayRuntime({
    supergraph: readFileSync(supergraphPath, 'utf8'),
    ...(planner === 'rust' && { unifiedGraphHandler: rustQueryPlanner }),
    transportEntries: { ...locations, '*.http': { options: { deduplicateInflightRequests: deduplicate } } },
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') }),
    },
    // Our signature rather than Hive's own upstream HMAC (in `extensions`, over re-serialised JSON): the subgraphs check
    // ours on the raw body before parsing it.
    plugins: () => [
      {
        onFetch(payload) {
          const { options } = payload;
          const headers = { ...options.headers };
          const body = typeof options.body === 'string' ? options.body : '';
          headers[SUBGRAPH_SIGNATURE_HEADER] = signatureFor(signing, { body, authorization: headers.authorization });
          payload.setOptions({ ...options, headers });
        },
      },
    ],
    inboundInflightRequestDeduplication: deduplicate && { shouldIncludeHeader: (name) => name.toLowerCase() === 'authorization' },
    logging: 'error',
    graphiql: false,
    landingPage: false,
  });
  const server = createServer((request, response) => void gateway(request, response));
  server.listen(Number(env.PORT ?? 4100), '127.0.0.1');
  const stop = () => {
    server.close();
    void Promise.resolve(gateway.dispose()).finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main(process.env);
