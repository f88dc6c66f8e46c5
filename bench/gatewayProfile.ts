/**
 * `npm run bench:profile`: where our gateway's CPU goes on the 20-district dashboard with every dashboard executed
 * (response cache off), the figure bench/README.md quotes against Hive. The embedded MongoDB seeded with the
 * benchmark's default dataset, the four subgraphs and our gateway started as `npm run bench` starts them (from the
 * build: run `npm run build` first), the gateway under `node --cpu-prof`; 20 connections, a warm-up, then the measured
 * load; the profile is summed by area over the gateway's busy time, start-up left out. Writes the profile to
 * bench/out/profiles/ and the summary to bench/out/GATEWAY-PROFILE.md (untracked). About 3 minutes, most of it seeding.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { authConfigFromEnv } from '../lib/auth/config';
import { signToken } from '../lib/auth/sign';
import { DEFAULT_COUNTS, databaseUri, readFixtures, seed } from './support/dataset';
import { measure } from './support/load';
import { startBenchMongo } from './support/mongo';
import { stopAllChildren, stopChild } from './support/processes';
import { serviceEnv, startGateway, startSubgraphs, subgraphPorts } from './support/services';
import { DASHBOARD_DISTINCT } from './support/variants';
import { DASHBOARD_DISTRICTS, dashboardWorkload } from './support/workloads';

const ROOT = path.resolve(__dirname, '..');
const LOG_DIR = path.join(ROOT, 'bench/logs');
const OUT_DIR = path.join(ROOT, 'bench/out');
const PROFILE_DIR = path.join(OUT_DIR, 'profiles');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const IDLE = 'idle';
const START_UP = 'start-up (loading modules)';

/** Where a sample's own frame belongs; `inStartUp`: a module being loaded is on its stack. */
function areaOf({ functionName, url }: ProfileNode['callFrame'], inStartUp: boolean): string {
  if (functionName === '(idle)') return IDLE;
  if (inStartUp) return START_UP;
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (/\/node_modules\/(@apollo\/(gateway|federation-internals)|graphql)\//.test(url)) return "Apollo Gateway's executor and graphql";
  if (url.includes('/node_modules/@apollo/server/')) return "Apollo Server's request pipeline";
  if (url.includes('/node_modules/undici/')) return 'undici (calling subgraphs)';
  if (['writev', 'writevGeneric', 'writeBuffer', 'writeLatin1String', 'writeUtf8String'].includes(functionName))
    return 'writing to sockets';
  if (functionName === 'stringifyResult') return 'serialising answers (JSON)';
  if (functionName === 'json' && url.endsWith('/gateway/subgraphFetcher.js')) return "parsing subgraphs' answers (JSON)";
  if (
    /\/dist\/(gateway|lib)\/|\/node_modules\/(jose|prom-client|@opentelemetry|pino|lru-cache|cockatiel)\/|^node:internal\/crypto\//.test(
      url,
    )
  )
    return 'what ours adds (token, signing, limits, metrics, tracing, dedup, batching and merging)';
  return 'other (Node internals: promises, timers, streams, HTTP parsing)';
}

/** Milliseconds of self time by area. */
function profileAreas(profile: CpuProfile): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const startUp = new Map<number, boolean>();
  const isStartUp = (id: number): boolean => {
    let known = startUp.get(id);
    if (known === undefined) {
      const node = byId.get(id)!;
      const parent = parentOf.get(id);
      known = node.callFrame.url.startsWith('node:internal/modules/') || (parent !== undefined && isStartUp(parent));
      startUp.set(id, known);
    }
    return known;
  };
  const areas = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const area = areaOf(byId.get(id)!.callFrame, isStartUp(id));
    areas.set(area, (areas.get(area) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  return areas;
}

async function main(): Promise<void> {
  mkdirSync(LOG_DIR, { recursive: true });
  rmSync(PROFILE_DIR, { recursive: true, force: true });
  mkdirSync(PROFILE_DIR, { recursive: true });
  const jwtSecret = randomBytes(48).toString('base64url');
  const env = serviceEnv(jwtSecret, randomBytes(32).toString('base64url'));
  const auth = authConfigFromEnv({ JWT_SECRET: jwtSecret, NODE_ENV: 'production' });

  const mongo = await startBenchMongo(undefined, { root: ROOT, logDir: LOG_DIR, env });
  process.stdout.write('seeding the default dataset\n');
  await seed('bench', DEFAULT_COUNTS, { root: ROOT, mongoUri: mongo.uri, logDir: LOG_DIR, env });
  const mongoUri = databaseUri(mongo.uri, 'bench');
  const subgraphs = await startSubgraphs({ root: ROOT, logDir: LOG_DIR, env, mongoUri, ports: await subgraphPorts(), label: 'profile' });
  const gateway = await startGateway(
    {
      name: 'ours, response cache off, profiled',
      kind: 'ours',
      env: { RESPONSE_CACHE: 'off' },
      describe: 'our defaults without a response cache, under node --cpu-prof',
    },
    { root: ROOT, logDir: LOG_DIR, env, subgraphUrls: subgraphs.urls, nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] },
  );
  const fixtures = await readFixtures(mongoUri);
  const workload = await dashboardWorkload(
    DASHBOARD_DISTINCT,
    ROOT,
    fixtures.districts.slice(0, DASHBOARD_DISTRICTS).map((district) => district.id),
    (caller) => signToken(caller, auth, { expiresIn: '1h' }),
  );
  process.stdout.write(`loading ${DASHBOARD_DISTINCT}\n`);
  const run = await measure(
    {
      variant: gateway.variant.name,
      url: gateway.url,
      processes: { gateway: gateway.child.pid },
      subgraphHealthUrls: subgraphs.healthUrls,
    },
    workload,
    { connections: 20, warmupSeconds: 5, durationSeconds: 20, maxRequests: 200_000 },
    1,
  );
  // The profile is written as the gateway exits.
  await stopChild(gateway.child);
  await stopAllChildren();

  const file = readdirSync(PROFILE_DIR).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`the gateway wrote no profile in ${PROFILE_DIR}`);
  const areas = profileAreas(JSON.parse(readFileSync(path.join(PROFILE_DIR, file), 'utf8')) as CpuProfile);
  const busyAreas = [...areas].filter(([area]) => area !== IDLE && area !== START_UP);
  const busy = busyAreas.reduce((sum, [, ms]) => sum + ms, 0);
  const rows = busyAreas
    .sort((a, b) => b[1] - a[1])
    .map(([area, ms]) => `| ${area} | ${Math.round(ms)} | ${((100 * ms) / busy).toFixed(1)} % |`);
  const report = `# Our gateway's CPU by area (generated by \`npm run bench:profile\`)

Run ${new Date().toISOString()}: ${DASHBOARD_DISTINCT}, 20 connections, response cache off; ${run.rps} req/s, p99
${run.latencyMs.p99} ms, ${run.cpuMsPerRequest.gateway} ms of gateway CPU per request. Self time of the gateway's
\`node --cpu-prof\` profile, warm-up included, over its busy time (${Math.round(busy)} ms); left out: idle
(${Math.round(areas.get(IDLE) ?? 0)} ms) and start-up (${Math.round(areas.get(START_UP) ?? 0)} ms).

| area | ms | share of busy time |
| --- | --- | --- |
${rows.join('\n')}
`;
  writeFileSync(path.join(OUT_DIR, 'GATEWAY-PROFILE.md'), report);
  process.stdout.write(report);
}

main().catch(async (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  await stopAllChildren();
  process.exit(1);
});
