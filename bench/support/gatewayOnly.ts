import path from 'node:path';
import { SUBGRAPH_NAMES } from '../../lib/subgraphs';
import { type LoadSettings, type RunResult, measure } from './load';
import { startChild, stopChild } from './processes';
import { type GatewayVariant, type RunningGateway, type Subgraphs, startGateway, subgraphPorts } from './services';
import type { Workload } from './workloads';

/** The gateways compared on constant subgraphs, each as it is deployed for this graph, with nothing cached. */
export const GATEWAY_ONLY_VARIANTS: GatewayVariant[] = [
  {
    name: 'ours',
    kind: 'ours',
    // RESPONSE_CACHE=off is ignored by a gateway without a response cache.
    env: { RESPONSE_CACHE: 'off' },
    describe: 'our defaults without a response cache: verifies the token (HS256), signs every subgraph call',
  },
  {
    name: 'ours, entity fetch merging off',
    kind: 'ours',
    env: { RESPONSE_CACHE: 'off', MERGE_ENTITY_FETCHES: 'off' },
    describe: 'the same, each entity fetch of the plan sent on its own (as Apollo Gateway does): what merging them is worth',
  },
  {
    name: 'Hive Gateway, Rust query planner',
    kind: 'hive',
    env: { HIVE_DEDUP: 'off', HIVE_QUERY_PLANNER: 'rust' },
    describe:
      "bench/hiveGateway.ts with the Hive Router's query planner (@graphql-hive/router-runtime, a native addon): forwards the token unverified, signs every subgraph call",
  },
  {
    name: 'Hive Gateway, JavaScript query planner',
    kind: 'hive',
    env: { HIVE_DEDUP: 'off', HIVE_QUERY_PLANNER: 'javascript' },
    describe: 'the same with Hive Gateway’s default planner',
  },
  {
    name: 'stock Apollo Gateway',
    kind: 'apollo',
    env: {},
    describe: 'bench/support/apolloGateway.ts: ApolloServer + ApolloGateway with their defaults; no authentication, no signing',
  },
];

export interface GatewayOnlyResults {
  variants: { name: string; env: Record<string, string>; describe: string }[];
  workload: string;
  /** Distinct client requests checked (every request of the workload). */
  requestsChecked: number;
  /** Every gateway answered every request with the same JSON (keys sorted), and without errors. */
  sameResponses: boolean;
  mismatches: string[];
  /** Subgraph answers recorded from the real subgraphs, and requests later refused as not recorded. */
  recordedAnswers: number;
  unexpectedQueries: number;
  runs: RunResult[];
}

/** JSON with sorted keys: the same answer whatever order a gateway writes its fields in. */
function canonicalJson(value: unknown): string {
  const sorted = (entry: unknown): unknown =>
    Array.isArray(entry)
      ? entry.map(sorted)
      : entry && typeof entry === 'object'
        ? Object.fromEntries(
            Object.entries(entry)
              .filter(([key]) => key !== 'extensions')
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
              .map(([key, inner]) => [key, sorted(inner)]),
          )
        : entry;
  return JSON.stringify(sorted(value));
}

async function post(url: string, request: { headers: Record<string, string>; body: string }): Promise<string> {
  const response = await fetch(url, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(30_000) });
  return canonicalJson(await response.json());
}

/**
 * The gateways alone: constant subgraph answers, recorded once from the real subgraphs and then served by fixed
 * servers that check every query (bench/support/fixedSubgraphs.ts); each gateway loaded in alternating rounds, its
 * CPU measured, so that throughput per core is requests per second over the gateway's cores used.
 */
export async function gatewayOnlyComparison(options: {
  root: string;
  logDir: string;
  env: NodeJS.ProcessEnv;
  realSubgraphs: Subgraphs['urls'];
  recordAuthorization: string;
  workload: Workload;
  settings: LoadSettings;
  rounds: number;
  log: (message: string) => void;
}): Promise<GatewayOnlyResults> {
  const ports = await subgraphPorts();
  const fixed = startChild(
    'fixed-subgraphs',
    process.execPath,
    ['--import', 'tsx', path.join(options.root, 'bench/support/fixedSubgraphs.ts')],
    {
      cwd: options.root,
      logDir: options.logDir,
      env: {
        ...options.env,
        RECORD_AUTHORIZATION: options.recordAuthorization,
        FIXED_SUBGRAPHS: JSON.stringify(SUBGRAPH_NAMES.map((name) => ({ name, port: ports[name], upstream: options.realSubgraphs[name] }))),
      },
    },
  );
  const gateways: RunningGateway[] = [];
  try {
    await fixed.firstLine;
    const base = (name: (typeof SUBGRAPH_NAMES)[number]) => `http://127.0.0.1:${ports[name]}`;
    const fixedUrls = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, `${base(name)}/graphql`])) as Subgraphs['urls'];
    const healthUrls = SUBGRAPH_NAMES.map((name) => `${base(name)}/health`);
    for (const variant of GATEWAY_ONLY_VARIANTS)
      gateways.push(await startGateway(variant, { root: options.root, logDir: options.logDir, env: options.env, subgraphUrls: fixedUrls }));

    // Recording: every request through every gateway, so that the subgraphs' answers to each gateway's queries are
    // kept (a gateway that gave up on a slow subgraph meanwhile still gets the answer recorded); then again, answered
    // from the recording: the gateways must agree.
    const requests = options.workload.all?.() ?? [options.workload.single()];
    const answersOf = (gateway: RunningGateway) => Promise.all(requests.map((request) => post(gateway.url, request)));
    for (const gateway of gateways) await answersOf(gateway);
    const recorded: string[][] = [];
    for (const gateway of gateways) recorded.push(await answersOf(gateway));
    const mismatches: string[] = [];
    requests.forEach((_, index) => {
      const reference = recorded[0]![index]!;
      if (reference.includes('"errors"')) mismatches.push(`request ${index}: ${gateways[0]!.variant.name} answered with errors`);
      gateways.forEach((gateway, which) => {
        if (recorded[which]![index] !== reference)
          mismatches.push(`request ${index}: ${gateway.variant.name} differs from ${gateways[0]!.variant.name}`);
      });
    });
    const stats = async (route: string, method = 'GET') =>
      (await (await fetch(`${base('housing')}${route}`, { method })).json()) as { served: number; unexpected: number; recorded: number };
    await stats('/__replay', 'POST');
    // Replaying: the same answers again, now from the recording alone.
    for (const [which, gateway] of gateways.entries()) {
      const replayed = await answersOf(gateway);
      replayed.forEach((answer, index) => {
        if (answer !== recorded[which]![index]) mismatches.push(`request ${index}: ${gateway.variant.name} answers otherwise on replay`);
      });
    }
    if (mismatches.length) options.log(`WARNING: gateway-only answers differ: ${mismatches.slice(0, 3).join('; ')}`);

    const runs: RunResult[] = [];
    for (let round = 1; round <= options.rounds; round += 1) {
      const order = round % 2 === 1 ? gateways : [...gateways].reverse();
      for (const gateway of order) {
        const result = await measure(
          {
            variant: gateway.variant.name,
            url: gateway.url,
            processes: { gateway: gateway.child.pid, 'fixed subgraphs': fixed.pid },
            subgraphHealthUrls: healthUrls,
          },
          options.workload,
          options.settings,
          round,
        );
        runs.push(result);
        options.log(
          `gateway only round ${round} ${gateway.variant.name}: ${result.rps} req/s, p99 ${result.latencyMs.p99} ms, ` +
            `gateway CPU ${result.cpuMsPerRequest.gateway} ms/req, errors ${JSON.stringify(result.errors)}`,
        );
      }
    }
    const final = await stats('/__stats');
    return {
      variants: GATEWAY_ONLY_VARIANTS.map(({ name, env, describe }) => ({ name, env, describe })),
      workload: options.workload.name,
      requestsChecked: requests.length,
      sameResponses: mismatches.length === 0,
      mismatches,
      recordedAnswers: final.recorded,
      unexpectedQueries: final.unexpected,
      runs,
    };
  } finally {
    await Promise.all([...gateways.map((gateway) => stopChild(gateway.child)), stopChild(fixed)]);
  }
}
