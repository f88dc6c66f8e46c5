/**
 * `npm run bench`: the district dashboard at scale (issue 18), ours side by side with Hive Gateway, each lever of its
 * cost before and after in the same run, and the gateways alone on constant subgraphs.
 *
 * Builds the project, starts MongoDB (the embedded server, or the real one MONGODB_URI names), seeds it, starts the
 * subgraphs (a set per subgraph switch measured) and the gateways (compiled, NODE_ENV=production, all on
 * 127.0.0.1), then loads them with autocannon in alternating rounds; then the gateway-only comparison, then the
 * scaling databases. Writes bench/out/results.json and bench/out/RESULTS.md (untracked); service logs go to
 * bench/logs/.
 *
 * Options: --connections N (20) --duration S (10) --warmup S (3) --rounds N (2) --quick (a tenth of the data, a few
 * seconds per measurement, one round: checks that everything works) --no-build (use the existing dist/)
 * --report-only (render RESULTS.md again from results.json) --write-committed (write the committed
 * bench/results.json and bench/RESULTS.md instead). Everything stops by itself; every child process is stopped on
 * the way out, on failure and on Ctrl-C too.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { SeedCounts } from '../scripts/seed/counts';
import type { Caller } from '../lib/auth/caller';
import { authConfigFromEnv } from '../lib/auth/config';
import { signToken } from '../lib/auth/sign';
import { DEFAULT_COUNTS, databaseUri, readFixtures, scaledDistrictCounts, seed } from './support/dataset';
import { gatewayOnlyComparison } from './support/gatewayOnly';
import { type LoadSettings, type LoadTarget, REQUESTS_PER_SINGLE, type RunResult, measure, single, timedRequest } from './support/load';
import { type BenchMongo, startBenchMongo } from './support/mongo';
import { startOtlpSink } from './support/otlpSink';
import { killAllChildrenNow, processTree, runToCompletion, statusMiB, stopAllChildren, stopChild } from './support/processes';
import { type BenchResults, writeResultsMarkdown } from './support/report';
import {
  type RunningGateway,
  type Subgraphs,
  serviceEnv,
  startGateway,
  startSubgraphs,
  stopSubgraphs,
  subgraphPorts,
} from './support/services';
import {
  DASHBOARD_DISTINCT,
  DASHBOARD_SHARED,
  HIVE,
  MUTATIONS,
  OURS_EVERY_REQUEST,
  WORKLOAD_NAMES,
  leverVariantName,
  levers,
  planVariants,
} from './support/variants';
import { DASHBOARD_DISTRICTS, type Workload, dashboardWorkload, mutationWorkload } from './support/workloads';

const ROOT = path.resolve(__dirname, '..');
const LOG_DIR = path.join(ROOT, 'bench/logs');
const OUT_DIR = path.join(ROOT, 'bench/out');
/** Whatever happens, the benchmark gives up after this long. */
const HARD_LIMIT_MS = 40 * 60_000;
const SCALE_FACTORS = [1, 4, 16];
const IDLE_WARM_UP_REQUESTS = 3;
const SCALING_CONNECTIONS = 2;
const SCALING_REQUESTS = 8;
/**
 * Dashboards sent one after the other on an idle graph at each size (each after an unmeasured one), once the first
 * (timed apart: fresh processes, the district's disclosed tables computed) and IDLE_WARM_UP_REQUESTS more have run.
 */
const SCALING_IDLE_REQUESTS = 5;
const SCALING_SLOW_MS = 5_000;
/** Dashboards of the shared workload: 20 connections over 5 districts, about four identical requests in flight each. */
const SHARED_DISTRICTS = 5;

interface Settings extends LoadSettings {
  rounds: number;
  counts: SeedCounts;
  build: boolean;
  /** Only renders RESULTS.md again from results.json (after a change to the report). */
  reportOnly: boolean;
  /** Writes bench/results.json and bench/RESULTS.md (the committed figures) instead of bench/out/. */
  writeCommitted: boolean;
  quick: boolean;
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
    durationSeconds: quick ? 3 : whole('duration', values.duration, 1),
    warmupSeconds: quick ? 1 : whole('warmup', values.warmup, 0),
    rounds: quick ? 1 : whole('rounds', values.rounds, 1),
    maxRequests: 200_000,
    counts,
    build: !values['no-build'],
    reportOnly: values['report-only'],
    writeCommitted: values['write-committed'],
    quick,
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
  // Every service knows where to export spans; only the tracing lever's variants do (OTEL_TRACES_EXPORTER=otlp).
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

  const externalUri = process.env.MONGODB_URI?.trim() || undefined;
  log(externalUri ? 'using the MongoDB server MONGODB_URI names' : 'starting the embedded MongoDB');
  const mongo: BenchMongo = await startBenchMongo(externalUri, { root: ROOT, logDir: LOG_DIR, env });

  log(`seeding ${JSON.stringify(settings.counts)}`);
  const seedSeconds: Record<string, number> = {};
  seedSeconds.bench = await seed('bench', settings.counts, { root: ROOT, mongoUri: mongo.uri, logDir: LOG_DIR, env });
  const scaleCounts = Object.fromEntries(SCALE_FACTORS.map((factor) => [factor, scaledDistrictCounts(factor, settings.counts)]));
  for (const factor of SCALE_FACTORS) {
    seedSeconds[`bench-x${factor}`] = await seed(`bench-x${factor}`, scaleCounts[factor]!, {
      root: ROOT,
      mongoUri: mongo.uri,
      logDir: LOG_DIR,
      env,
    });
  }
  log(
    `seeded in ${Object.entries(seedSeconds)
      .map(([db, seconds]) => `${db} ${seconds.toFixed(1)} s`)
      .join(', ')}`,
  );

  const mainUri = databaseUri(mongo.uri, 'bench');
  const fixtures = await readFixtures(mainUri);
  const plan = planVariants(ROOT, levers());
  for (const { lever, reason } of plan.skippedLevers) log(`lever ${lever.name} skipped: ${reason}`);

  // One set of four subgraphs per distinct subgraph environment (the defaults, and each subgraph lever's states).
  const backends = new Map<string, Subgraphs>();
  const backendKey = (subgraphEnv: Record<string, string> | undefined) => JSON.stringify(subgraphEnv ?? {});
  for (const variant of plan.variants) {
    const key = backendKey(variant.subgraphEnv);
    if (backends.has(key)) continue;
    backends.set(
      key,
      await startSubgraphs({
        root: ROOT,
        logDir: LOG_DIR,
        env,
        mongoUri: mainUri,
        ports: await subgraphPorts(),
        label: `main${backends.size || ''}`,
        extraEnv: variant.subgraphEnv,
      }),
    );
  }
  log(`${backends.size} set(s) of subgraphs up; starting ${plan.variants.length} gateways`);
  const gateways = new Map<string, RunningGateway>();
  for (const variant of plan.variants) {
    const subgraphUrls = backends.get(backendKey(variant.subgraphEnv))!.urls;
    gateways.set(variant.name, await startGateway(variant, { root: ROOT, logDir: LOG_DIR, env, subgraphUrls }));
  }

  const targetFor = (gateway: RunningGateway, backend: Subgraphs): LoadTarget => ({
    variant: gateway.variant.name,
    url: gateway.url,
    processes: {
      gateway: gateway.child.pid,
      ...Object.fromEntries(backend.children.map((child) => [child.name.replace(/^[^-]+-/, ''), child.pid])),
      ...(mongo.child && { mongo: mongo.child.pid }),
    },
    ...(mongo.cpuMs && { mongoCpuMs: mongo.cpuMs }),
    subgraphHealthUrls: backend.healthUrls,
  });
  const targetOf = (variantName: string): LoadTarget => {
    const gateway = gateways.get(variantName)!;
    return targetFor(gateway, backends.get(backendKey(gateway.variant.subgraphEnv))!);
  };

  const districtIds = fixtures.districts.map((district) => district.id);
  const workloads = new Map<string, Workload>([
    [DASHBOARD_DISTINCT, await dashboardWorkload(DASHBOARD_DISTINCT, ROOT, districtIds.slice(0, DASHBOARD_DISTRICTS), sign)],
    [DASHBOARD_SHARED, await dashboardWorkload(DASHBOARD_SHARED, ROOT, districtIds.slice(0, SHARED_DISTRICTS), sign)],
    [MUTATIONS, await mutationWorkload(ROOT, fixtures, sign)],
  ]);

  log('one request of each operation, on an idle graph (after three to warm every process up)');
  const singles: BenchResults['singles'] = [];
  for (const workload of [workloads.get(DASHBOARD_DISTINCT)!, workloads.get(MUTATIONS)!]) {
    for (const variant of [OURS_EVERY_REQUEST, HIVE]) {
      for (let warmUp = 0; warmUp < IDLE_WARM_UP_REQUESTS; warmUp += 1) await single(targetOf(variant), workload);
      const outcome = await single(targetOf(variant), workload);
      singles.push({ operation: workload.name, variant, ...outcome });
      if (!outcome.ok) log(`WARNING: ${workload.name} through ${variant} answered with errors; see bench/logs`);
    }
  }
  // Every gateway answers every dashboard of the run as ours with every request executed does (a lever that changed
  // an answer, or a gateway that does not compare like with like, shows here).
  const dashboards = workloads.get(DASHBOARD_DISTINCT)!;
  const reference = await dashboardData(dashboards, gateways.get(OURS_EVERY_REQUEST)!.url);
  const sameDashboardData: Record<string, boolean> = {};
  for (const variant of plan.variants) {
    const answers = await dashboardData(dashboards, gateways.get(variant.name)!.url);
    sameDashboardData[variant.name] = answers.every((answer, index) => answer !== 'null' && answer === reference[index]);
    if (!sameDashboardData[variant.name]) log(`WARNING: ${variant.name} answers a dashboard otherwise than ${OURS_EVERY_REQUEST}`);
  }

  const runs: RunResult[] = [];
  for (const workloadName of WORKLOAD_NAMES) {
    const workload = workloads.get(workloadName)!;
    const variants = plan.byWorkload[workloadName];
    for (let round = 1; round <= settings.rounds; round += 1) {
      // A, B, C… then …C, B, A: drift on a shared machine weighs on every variant alike.
      const order = round % 2 === 1 ? variants : [...variants].reverse();
      for (const variant of order) {
        const result = await measure(targetOf(variant), workload, settings, round);
        runs.push(result);
        log(
          `${workload.name} round ${round} ${variant}: ${result.rps} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, ` +
            `${result.mongoCommandsPerRequest} cmds/req, CPU ${result.cpuMsPerRequest.total} ms/req, errors ${JSON.stringify(result.errors)}`,
        );
      }
    }
  }

  const peakRssMiB: Record<string, number> = Object.fromEntries(
    [...gateways.values()].map((gateway): [string, number] => [
      gateway.variant.name,
      Math.round(processTree(gateway.child.pid).reduce((sum, pid) => sum + statusMiB(pid, 'VmHWM'), 0)),
    ]),
  );
  await Promise.all([...gateways.values()].map((gateway) => stopChild(gateway.child)));

  log('gateway only: constant subgraph answers, recorded from the real subgraphs');
  const defaultBackend = backends.get(backendKey(undefined))!;
  const gatewayOnly = await gatewayOnlyComparison({
    root: ROOT,
    logDir: LOG_DIR,
    env,
    realSubgraphs: defaultBackend.urls,
    recordAuthorization: `Bearer ${await sign({ role: 'COORDINATOR', sub: 'bench-coordinator-all', districtIds })}`,
    workload: workloads.get(DASHBOARD_DISTINCT)!,
    settings,
    rounds: settings.rounds,
    log,
  });
  for (const backend of backends.values()) await stopSubgraphs(backend);

  log('scaling: one district at 1x, 4x and 16x the default size, every request executed');
  const scaling: BenchResults['scaling'] = [];
  // A 16× dashboard takes seconds on the embedded MongoDB: a fixed number of requests at low concurrency.
  const scalingSettings: LoadSettings = { ...settings, connections: SCALING_CONNECTIONS, amount: SCALING_REQUESTS };
  // What the dashboard's cost does as a district grows, on our defaults (every subgraph lever is on by default).
  for (const variant of plan.variants.filter(({ name }) => name === OURS_EVERY_REQUEST)) {
    for (const factor of SCALE_FACTORS) {
      const uri = databaseUri(mongo.uri, `bench-x${factor}`);
      const backend = await startSubgraphs({
        root: ROOT,
        logDir: LOG_DIR,
        env,
        mongoUri: uri,
        ports: await subgraphPorts(),
        label: `x${factor}`,
        extraEnv: variant.subgraphEnv,
      });
      const scalingGateway = await startGateway(
        { ...variant, name: `${variant.name} x${factor}`, env: { ...variant.env, DEDUPLICATE_QUERIES: 'off', RESPONSE_CACHE: 'off' } },
        { root: ROOT, logDir: LOG_DIR, env, subgraphUrls: backend.urls },
      );
      const scaled = await readFixtures(uri);
      const workload = await dashboardWorkload('dashboard', ROOT, [scaled.districts[0]!.id], sign);
      const target = { ...targetFor(scalingGateway, backend), variant: variant.name };
      const firstLatencyMs = await timedRequest(target, workload);
      for (let warmUp = 0; warmUp < IDLE_WARM_UP_REQUESTS; warmUp += 1) await single(target, workload);
      const idle: Awaited<ReturnType<typeof single>>[] = [];
      // A dashboard slower than SCALING_SLOW_MS is measured once, without load: the run stays within its time.
      do idle.push(await single(target, workload));
      while (idle.length < SCALING_IDLE_REQUESTS && idle[0]!.latencyMs < SCALING_SLOW_MS);
      const load = idle[0]!.latencyMs < SCALING_SLOW_MS ? await measure(target, workload, scalingSettings, 1) : undefined;
      const latencies = idle.map((outcome) => outcome.latencyMs).sort((a, b) => a - b);
      scaling.push({
        variant: variant.name,
        factor,
        counts: scaleCounts[factor]!,
        buildingsInDistrict: scaled.buildingIds.length,
        mongoCommandsPerRequest: idle[0]!.mongoCommands,
        idleMongoMs: idle.map((outcome) => outcome.mongoMs).sort((a, b) => a - b)[Math.floor(idle.length / 2)]!,
        commandsStable: idle.every((outcome) => outcome.mongoCommands === idle[0]!.mongoCommands),
        idleLatencyMs: latencies[Math.floor(latencies.length / 2)]!,
        firstLatencyMs,
        warmUpRequests: IDLE_WARM_UP_REQUESTS * REQUESTS_PER_SINGLE,
        idleRequests: idle.length,
        ok: idle.every((outcome) => outcome.ok),
        load,
      });
      log(
        `${variant.name} x${factor}: ${idle[0]!.mongoCommands} commands, first ${firstLatencyMs} ms, idle ${latencies[Math.floor(latencies.length / 2)]} ms, ` +
          (load ? `${SCALING_CONNECTIONS} connections p99 ${load.latencyMs.p99} ms` : `no load (a dashboard over ${SCALING_SLOW_MS} ms)`),
      );
      await stopChild(scalingGateway.child);
      await stopSubgraphs(backend);
    }
  }
  if (mongo.child) peakRssMiB['embedded MongoDB'] = Math.round(statusMiB(mongo.child.pid, 'VmHWM'));
  await otlpSink.close();

  const results: BenchResults = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    quick: settings.quick,
    mongo: { kind: externalUri ? 'external' : 'embedded', describe: mongo.describe },
    settings: {
      connections: settings.connections,
      warmupSeconds: settings.warmupSeconds,
      durationSeconds: settings.durationSeconds,
      rounds: settings.rounds,
    },
    dataset: { counts: settings.counts, seedSeconds },
    variants: plan.variants.map(({ name, env: variantEnv, subgraphEnv, describe }) => ({
      name,
      env: variantEnv,
      subgraphEnv: subgraphEnv ?? {},
      describe,
    })),
    levers: plan.measuredLevers.map((lever) => ({
      name: lever.name,
      variable: lever.variable,
      acts: lever.acts,
      workloads: [...lever.workloads],
      off: leverVariantName(lever, 'off'),
      on: leverVariantName(lever, 'on'),
    })),
    skippedLevers: plan.skippedLevers.map(({ lever, reason }) => ({ name: lever.name, variable: lever.variable, reason })),
    workloads: [...workloads.values()].map((workload) => ({ name: workload.name, describe: workload.describe })),
    singles,
    sameDashboardData,
    runs,
    gatewayOnly,
    scaling,
    lifetimePeakRssMiB: peakRssMiB,
  };
  writeFileSync(resultFiles.json, `${JSON.stringify(results, null, 2)}\n`);
  writeResultsMarkdown(resultFiles.markdown, results);
  log(`wrote ${path.relative(ROOT, resultFiles.json)} and ${path.relative(ROOT, resultFiles.markdown)}`);
}

/**
 * The data the gateway at `url` answers each request of `workload` with, as JSON; one request at a time, so that no
 * subgraph times out under the check's own load and a partial answer is a real difference.
 */
async function dashboardData(workload: Workload, url: string): Promise<string[]> {
  const answers: string[] = [];
  for (const request of workload.all?.() ?? [workload.single()]) {
    const response = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
    answers.push(JSON.stringify(((await response.json()) as { data?: unknown }).data ?? null));
  }
  return answers;
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
