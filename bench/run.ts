/**
 * `npm run bench`: the district view at scale, our gateway side by side with Hive Gateway.
 *
 * Builds the project, starts the embedded MongoDB, seeds it, starts the four subgraphs and several
 * gateways (compiled, NODE_ENV=production, all on 127.0.0.1), then loads them with autocannon in
 * alternating rounds. Writes bench/out/results.json and bench/out/RESULTS.md (untracked); service logs go to
 * bench/logs/.
 *
 * Options: --connections N (20) --duration S (10) --warmup S (3) --rounds N (2) --quick (a tenth of the
 * data, shorter runs) --no-build (use the existing dist/) --report-only (render RESULTS.md again from
 * results.json) --write-committed (write the committed bench/results.json and bench/RESULTS.md instead).
 * Everything stops by itself; every child
 * process is stopped on the way out, on failure and on Ctrl-C too.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';
import type { Evaluation } from '../embedded-mongo/evaluation';
import type { SeedCounts } from '../scripts/seed/counts';
import type { Caller } from '../lib/auth/caller';
import { authConfigFromEnv } from '../lib/auth/config';
import { signToken } from '../lib/auth/sign';
import { ALL_STATS_PARTS, requestStatsPipeline, statsPartsFor } from '../subgraphs/tenancy/data/requestStats';
import { DEFAULT_COUNTS, databaseUri, readFixtures, scaledDistrictCounts, seed } from './support/dataset';
import { type LoadSettings, type LoadTarget, type RunResult, measure, single } from './support/load';
import { startOtlpSink } from './support/otlpSink';
import { killAllChildrenNow, processTree, runToCompletion, startChild, statusMiB, stopAllChildren, stopChild } from './support/processes';
import { type BenchResults, writeResultsMarkdown } from './support/report';
import {
  type GatewayVariant,
  type RunningGateway,
  type Subgraphs,
  serviceEnv,
  startGateway,
  startSubgraphs,
  stopSubgraphs,
  subgraphPorts,
} from './support/services';
import { DASHBOARD_DISTRICTS, type Workload, dashboardWorkload, lookupWorkload, mutationWorkload } from './support/workloads';

const ROOT = path.resolve(__dirname, '..');
const LOG_DIR = path.join(ROOT, 'bench/logs');
const OUT_DIR = path.join(ROOT, 'bench/out');
/** Whatever happens, the benchmark gives up after this long. */
const HARD_LIMIT_MS = 25 * 60_000;
const SCALE_FACTORS = [1, 4, 16];
const EMBEDDED_MONGO_NODE_FLAGS = '--max-semi-space-size=32';
const IDLE_WARM_UP_REQUESTS = 3;
const SCALING_CONNECTIONS = 2;
const SCALING_REQUESTS = 12;

const OURS = 'ours';
const OURS_NO_DEDUP = 'ours, dedup off';
const OURS_TRACING = 'ours, tracing on';
const OURS_RESPONSE_CACHE = 'ours, response cache on';
const OURS_ON_MINGO = 'ours, MongoDB evaluating with mingo alone';
const HIVE = 'Hive (dedup on)';
const HIVE_NO_DEDUP = 'Hive (dedup off)';

/** Every gateway of the run; the first four are the comparison, the others the optimisation steps. */
const VARIANTS: GatewayVariant[] = [
  {
    name: OURS,
    kind: 'ours',
    env: {},
    describe: 'our defaults: node-fetch keep-alive agent, 30 MiB plan cache, in-flight dedup on, 1 process',
  },
  { name: OURS_NO_DEDUP, kind: 'ours', env: { DEDUPLICATE_QUERIES: 'off' }, describe: 'our defaults without in-flight dedup' },
  {
    name: OURS_TRACING,
    kind: 'ours',
    env: { OTEL_TRACES_EXPORTER: 'otlp' },
    describe:
      "our defaults with tracing on: every gateway span (Apollo's and ours) batched and exported by OTLP/HTTP to a local sink that discards them; the subgraphs, shared by every gateway, do not trace",
  },
  {
    name: HIVE,
    kind: 'hive',
    env: { HIVE_DEDUP: 'on' },
    describe: 'Hive Gateway: inbound in-flight dedup (Authorization in the key) + upstream dedup (its default)',
  },
  { name: HIVE_NO_DEDUP, kind: 'hive', env: { HIVE_DEDUP: 'off' }, describe: 'Hive Gateway without either dedup' },
  {
    name: OURS_RESPONSE_CACHE,
    kind: 'ours',
    env: { RESPONSE_CACHE: 'on' },
    describe: 'our defaults with the response cache on (RESPONSE_CACHE=on, 5 s TTL, writes invalidate)',
  },
  {
    name: 'baseline',
    kind: 'ours',
    env: { SUBGRAPH_HTTP_CLIENT: 'apollo', DEDUPLICATE_QUERIES: 'off' },
    describe: "before: Apollo's fetcher (make-fetch-happen), Apollo's default 30 MiB plan cache, no dedup",
  },
  {
    name: 'baseline, no plan cache',
    kind: 'ours',
    env: { SUBGRAPH_HTTP_CLIENT: 'apollo', DEDUPLICATE_QUERIES: 'off', QUERY_PLAN_CACHE_MIB: '0' },
    describe: 'baseline with every operation planned afresh (what the plan cache saves)',
  },
  {
    name: 'no keep-alive',
    kind: 'ours',
    env: { SUBGRAPH_HTTP_CLIENT: 'no-keep-alive', DEDUPLICATE_QUERIES: 'off' },
    describe: 'node-fetch with a new connection per subgraph call (what keep-alive saves)',
  },
  { name: 'ours, 2 workers', kind: 'ours', env: { GATEWAY_WORKERS: '2' }, describe: 'our defaults in 2 node:cluster workers' },
  {
    name: OURS_ON_MINGO,
    kind: 'ours',
    env: {},
    backend: 'mingo',
    describe:
      'our defaults, in front of subgraphs on a second embedded MongoDB started with `--evaluation mingo` and seeded alike: the server before its native paths (README of embedded-mongo)',
  },
];

/**
 * Which gateways load which operation. The dashboard is bound by the embedded MongoDB, so the gateway-only steps
 * (plan cache, HTTP client, keep-alive) are measured on the lookup too, where the gateway's own work shows;
 * lookups hardly ever coincide, so deduplication changes nothing there.
 */
const OPERATION_VARIANTS: Record<Workload['name'], string[]> = {
  dashboard: [OURS, OURS_TRACING, OURS_NO_DEDUP, OURS_RESPONSE_CACHE, HIVE, HIVE_NO_DEDUP, 'baseline', 'ours, 2 workers', OURS_ON_MINGO],
  lookup: VARIANTS.filter((variant) => variant.backend === undefined).map((variant) => variant.name),
  mutations: [OURS, OURS_RESPONSE_CACHE, HIVE],
};

interface Settings extends LoadSettings {
  rounds: number;
  counts: SeedCounts;
  build: boolean;
  /** Only renders RESULTS.md again from results.json (after a change to the report). */
  reportOnly: boolean;
  /** Writes bench/results.json and bench/RESULTS.md (the committed figures) instead of bench/out/. */
  writeCommitted: boolean;
}

function settingsFromArgs(): Settings {
  const { values } = parseArgs({
    options: {
      connections: { type: 'string', default: '20' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      rounds: { type: 'string', default: '2' },
      quick: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      'report-only': { type: 'boolean', default: false },
      'write-committed': { type: 'boolean', default: false },
    },
  });
  const whole = (name: string, text: string, minimum: number) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < minimum || value > 600)
      throw new Error(`--${name} must be a whole number from ${minimum} to 600`);
    return value;
  };
  const quick = values.quick;
  const counts = quick
    ? (Object.fromEntries(
        Object.entries(DEFAULT_COUNTS).map(([name, count]) => [name, name === 'landlords' || name === 'districts' ? count : count / 10]),
      ) as SeedCounts)
    : DEFAULT_COUNTS;
  return {
    connections: whole('connections', values.connections, 1),
    durationSeconds: quick ? 4 : whole('duration', values.duration, 1),
    warmupSeconds: quick ? 1 : whole('warmup', values.warmup, 0),
    rounds: quick ? 1 : whole('rounds', values.rounds, 1),
    maxRequests: 200_000,
    counts,
    build: !values['no-build'],
    reportOnly: values['report-only'],
    writeCommitted: values['write-committed'],
  };
}

function log(message: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** A run writes beside its logs, untracked; `--write-committed` updates the committed figures instead. */
function resultPaths(writeCommitted: boolean): { json: string; markdown: string } {
  const dir = writeCommitted ? path.join(ROOT, 'bench') : OUT_DIR;
  return { json: path.join(dir, 'results.json'), markdown: path.join(dir, 'RESULTS.md') };
}

async function main(): Promise<void> {
  const settings = settingsFromArgs();
  const resultFiles = resultPaths(settings.writeCommitted);
  mkdirSync(OUT_DIR, { recursive: true });
  if (settings.reportOnly) {
    writeResultsMarkdown(resultFiles.markdown, JSON.parse(readFileSync(resultFiles.json, 'utf8')) as BenchResults);
    log(`wrote ${path.relative(ROOT, resultFiles.markdown)} from ${path.relative(ROOT, resultFiles.json)}`);
    return;
  }
  const startedAt = new Date();
  mkdirSync(LOG_DIR, { recursive: true });
  const jwtSecret = randomBytes(48).toString('base64url');
  // Only the traced variant exports (OTEL_TRACES_EXPORTER=otlp); every service knows where to.
  const otlpSink = await startOtlpSink();
  const env = { ...serviceEnv(jwtSecret, randomBytes(32).toString('base64url')), OTEL_EXPORTER_OTLP_ENDPOINT: otlpSink.url };
  const auth = authConfigFromEnv({ JWT_SECRET: jwtSecret, NODE_ENV: 'production' });
  const sign = (caller: Caller) => signToken(caller, auth, { expiresIn: '2h' });

  if (settings.build) {
    log('building (npm run build)');
    await runToCompletion('build', 'npm', ['run', '--silent', 'build'], {
      cwd: ROOT,
      env: process.env,
      logDir: LOG_DIR,
      timeoutMs: 5 * 60_000,
    });
  }

  log('starting the embedded MongoDB');
  // As `npm start` runs it: a young generation large enough that a request's garbage dies young instead of being
  // promoted into the old generation, where the stored collections make every full collection expensive.
  const startMongo = (name: string, evaluation: Evaluation) =>
    startChild(
      name,
      process.execPath,
      [
        EMBEDDED_MONGO_NODE_FLAGS,
        '--import',
        'tsx',
        path.join(ROOT, 'embedded-mongo/cli.ts'),
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--evaluation',
        evaluation,
      ],
      {
        cwd: ROOT,
        env,
        logDir: LOG_DIR,
      },
    );
  const mongo = startMongo('mongo', 'native');
  const mingoMongo = startMongo('mongo-mingo', 'mingo');
  const [mongoUri, mingoMongoUri] = await Promise.all([mongo.firstLine, mingoMongo.firstLine]);

  log(`seeding ${JSON.stringify(settings.counts)}`);
  const seedSeconds: Record<string, number> = {};
  seedSeconds.bench = await seed('bench', settings.counts, { root: ROOT, mongoUri, logDir: LOG_DIR, env });
  const scaleCounts = Object.fromEntries(SCALE_FACTORS.map((factor) => [factor, scaledDistrictCounts(factor)]));
  for (const factor of SCALE_FACTORS) {
    seedSeconds[`bench-x${factor}`] = await seed(`bench-x${factor}`, scaleCounts[factor]!, { root: ROOT, mongoUri, logDir: LOG_DIR, env });
  }
  seedSeconds['bench (mingo alone)'] = await seed('bench', settings.counts, { root: ROOT, mongoUri: mingoMongoUri, logDir: LOG_DIR, env });
  log(
    `seeded in ${Object.entries(seedSeconds)
      .map(([db, seconds]) => `${db} ${seconds.toFixed(1)} s`)
      .join(', ')}`,
  );

  const mainUri = databaseUri(mongoUri, 'bench');
  const fixtures = await readFixtures(mainUri);
  const ports = await subgraphPorts();
  let subgraphs: Subgraphs = await startSubgraphs({ root: ROOT, logDir: LOG_DIR, env, mongoUri: mainUri, ports, label: 'main' });
  const mingoSubgraphs = await startSubgraphs({
    root: ROOT,
    logDir: LOG_DIR,
    env,
    mongoUri: databaseUri(mingoMongoUri, 'bench'),
    ports: await subgraphPorts(),
    label: 'mingo',
  });
  log('subgraphs up; starting the gateways');
  const gateways = new Map<string, RunningGateway>();
  for (const variant of VARIANTS) {
    const subgraphUrls = variant.backend === 'mingo' ? mingoSubgraphs.urls : subgraphs.urls;
    gateways.set(variant.name, await startGateway(variant, { root: ROOT, logDir: LOG_DIR, env, subgraphUrls }));
  }

  const targetOf = (variantName: string): LoadTarget => {
    const gateway = gateways.get(variantName)!;
    const [backendMongo, backendSubgraphs] = gateway.variant.backend === 'mingo' ? [mingoMongo, mingoSubgraphs] : [mongo, subgraphs];
    const subgraphPids = Object.fromEntries(backendSubgraphs.children.map((child) => [child.name.replace(/^[^-]+-/, ''), child.pid]));
    return {
      variant: variantName,
      url: gateway.url,
      gatewayPid: gateway.child.pid,
      subgraphHealthUrls: backendSubgraphs.healthUrls,
      backendPids: { mongo: backendMongo.pid, ...subgraphPids },
    };
  };

  const dashboardDistricts = fixtures.districts.slice(0, DASHBOARD_DISTRICTS).map((district) => district.id);
  const workloads: Workload[] = [
    await dashboardWorkload(ROOT, dashboardDistricts, sign),
    await lookupWorkload(fixtures, sign),
    await mutationWorkload(ROOT, fixtures, sign),
  ];

  log('one request of each operation, on an idle graph (after three to warm every process up)');
  const singles: BenchResults['singles'] = [];
  for (const workload of workloads) {
    for (const variant of [OURS, HIVE]) {
      for (let warmUp = 0; warmUp < IDLE_WARM_UP_REQUESTS; warmUp += 1) await single(targetOf(variant), workload);
      const outcome = await single(targetOf(variant), workload);
      singles.push({ operation: workload.name, variant, ...outcome });
      if (!outcome.ok) log(`WARNING: ${workload.name} through ${variant} answered with errors; see bench/logs`);
    }
  }
  const sameDashboard = await sameAnswer(workloads[0]!, [gateways.get(OURS)!.url, gateways.get(HIVE)!.url]);

  const runs: RunResult[] = [];
  for (const workload of workloads) {
    const variants = OPERATION_VARIANTS[workload.name];
    for (let round = 1; round <= settings.rounds; round += 1) {
      // A, B, C… then …C, B, A: drift on a shared machine weighs on every variant alike.
      const order = round % 2 === 1 ? variants : [...variants].reverse();
      for (const variant of order) {
        const result = await measure(targetOf(variant), workload, settings, round);
        runs.push(result);
        log(
          `${workload.name} round ${round} ${variant}: ${result.rps} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, ` +
            `${result.mongoCommandsPerRequest} cmds/req, errors ${JSON.stringify(result.errors)}`,
        );
      }
    }
  }

  log('request statistics: the whole aggregate against the parts the dashboard selects');
  const statsProbe = await probeStatsParts(mainUri, dashboardDistricts[0]!);

  log('scaling: one district at 1x, 4x and 16x the default size');
  const scaling: BenchResults['scaling'] = [];
  // A 16× dashboard takes seconds on the embedded MongoDB: a fixed number of requests at low concurrency.
  const scalingSettings: LoadSettings = { ...settings, connections: SCALING_CONNECTIONS, amount: SCALING_REQUESTS };
  for (const factor of SCALE_FACTORS) {
    await stopSubgraphs(subgraphs);
    const uri = databaseUri(mongoUri, `bench-x${factor}`);
    subgraphs = await startSubgraphs({ root: ROOT, logDir: LOG_DIR, env, mongoUri: uri, ports, label: `x${factor}` });
    const scaled = await readFixtures(uri);
    const workload = await dashboardWorkload(ROOT, [scaled.districts[0]!.id], sign);
    // Dedup off: with one district, every request would be identical; here each one is executed.
    const target = targetOf(OURS_NO_DEDUP);
    const idle: Awaited<ReturnType<typeof single>>[] = [];
    for (let repeat = 0; repeat < 5; repeat += 1) idle.push(await single(target, workload));
    const load = await measure(target, workload, scalingSettings, 1);
    const latencies = idle.map((outcome) => outcome.latencyMs).sort((a, b) => a - b);
    scaling.push({
      factor,
      counts: scaleCounts[factor]!,
      buildingsInDistrict: scaled.buildingIds.length,
      mongoCommandsPerRequest: idle[0]!.mongoCommands,
      idleMongoMs: idle.map((outcome) => outcome.mongoMs).sort((a, b) => a - b)[Math.floor(idle.length / 2)]!,
      commandsStable: idle.every((outcome) => outcome.mongoCommands === idle[0]!.mongoCommands),
      idleLatencyMs: latencies[Math.floor(latencies.length / 2)]!,
      ok: idle.every((outcome) => outcome.ok),
      load,
    });
    log(
      `x${factor}: ${idle[0]!.mongoCommands} commands, idle ${latencies[2]} ms, ${SCALING_CONNECTIONS} connections p99 ${load.latencyMs.p99} ms`,
    );
  }

  const peakRssMiB = Object.fromEntries([
    ...[...gateways.values()].map((gateway): [string, number] => [
      gateway.variant.name,
      Math.round(processTree(gateway.child.pid).reduce((sum, pid) => sum + statusMiB(pid, 'VmHWM'), 0)),
    ]),
    ['embedded MongoDB', Math.round(statusMiB(mongo.pid, 'VmHWM'))],
    ['embedded MongoDB (mingo alone)', Math.round(statusMiB(mingoMongo.pid, 'VmHWM'))],
  ]);

  const results: BenchResults = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    settings: {
      connections: settings.connections,
      warmupSeconds: settings.warmupSeconds,
      durationSeconds: settings.durationSeconds,
      rounds: settings.rounds,
    },
    dataset: { counts: settings.counts, seedSeconds },
    variants: VARIANTS.map(({ name, env: variantEnv, describe }) => ({ name, env: variantEnv, describe })),
    workloads: workloads.map((workload) => ({ name: workload.name, describe: workload.describe })),
    singles,
    sameDashboardData: sameDashboard,
    runs,
    statsProbe,
    scaling,
    lifetimePeakRssMiB: peakRssMiB,
  };
  writeFileSync(resultFiles.json, `${JSON.stringify(results, null, 2)}\n`);
  writeResultsMarkdown(resultFiles.markdown, results);
  log(`wrote ${path.relative(ROOT, resultFiles.json)} and ${path.relative(ROOT, resultFiles.markdown)}`);
  await Promise.all([...gateways.values()].map((gateway) => stopChild(gateway.child)));
  log(`the traced gateway sent ${otlpSink.exports()} OTLP exports`);
  await otlpSink.close();
}

/** Whether the gateways answer one request with the same data (a check that the comparison compares like with like). */
async function sameAnswer(workload: Workload, urls: string[]): Promise<boolean> {
  const { headers, body } = workload.single();
  const answers = await Promise.all(
    urls.map(async (url) =>
      JSON.stringify(((await (await fetch(url, { method: 'POST', headers, body })).json()) as { data?: unknown }).data ?? null),
    ),
  );
  return answers.every((answer) => answer === answers[0] && answer !== 'null');
}

/** Times the district and building stats aggregates, all parts against the dashboard's parts, alternately. */
async function probeStatsParts(uri: string, districtId: string): Promise<BenchResults['statsProbe']> {
  const client = new MongoClient(uri);
  await client.connect();
  try {
    const db = client.db();
    const requests = db.collection('serviceRequests');
    const buildingIds = (
      await db
        .collection<{ _id: string }>('buildings')
        .find({ districtId }, { projection: { _id: 1 }, sort: { _id: 1 }, limit: 50 })
        .toArray()
    ).map((building) => building._id);
    const since = new Date(Date.now() - 90 * 86_400_000);
    const cases = [
      {
        name: 'District.requestStats',
        field: 'districtId' as const,
        ids: [districtId],
        dashboard: ['total', 'open', 'acknowledgedWithin48hRate', 'medianResolutionHours', 'byCategory'],
      },
      { name: 'Building.requestStats (50 buildings)', field: 'buildingId' as const, ids: buildingIds, dashboard: ['total', 'open'] },
    ];
    const timed = async (run: () => Promise<unknown>) => {
      const started = performance.now();
      await run();
      return performance.now() - started;
    };
    const probe = [];
    for (const { name, field, ids, dashboard } of cases) {
      const allParts: number[] = [];
      const selected: number[] = [];
      const parts = statsPartsFor(new Set(dashboard));
      for (let repeat = 0; repeat < 6; repeat += 1) {
        allParts.push(
          await timed(() => requests.aggregate(requestStatsPipeline(field, ids, since, new Date(), ALL_STATS_PARTS)).toArray()),
        );
        selected.push(await timed(() => requests.aggregate(requestStatsPipeline(field, ids, since, new Date(), parts)).toArray()));
      }
      const median = (values: number[]) => Math.round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]! * 10) / 10;
      probe.push({ aggregate: name, selectedFields: dashboard, allPartsMs: median(allParts), selectedPartsMs: median(selected) });
    }
    return probe;
  } finally {
    await client.close();
  }
}

const hardLimit = setTimeout(() => {
  process.stderr.write(`The benchmark did not finish within ${HARD_LIMIT_MS / 60_000} minutes; stopping it.\n`);
  void stopAllChildren().finally(() => process.exit(1));
}, HARD_LIMIT_MS);
hardLimit.unref();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`${signal}: stopping every child process\n`);
    void stopAllChildren().finally(() => process.exit(130));
  });
}
process.once('exit', killAllChildrenNow);

main()
  .then(() => stopAllChildren())
  .then(
    () => process.exit(0),
    async (error: unknown) => {
      process.stderr.write(`The benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      await stopAllChildren();
      process.exit(1);
    },
  );
