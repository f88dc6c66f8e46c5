/**
 * `npm run bench:embedded`: what the embedded MongoDB's native paths save on the district dashboard, one request
 * at a time. Two embedded MongoDB processes, one evaluating natively and one with mingo alone (`--evaluation
 * mingo`, the server before its native paths), run as `npm start` runs it and are seeded with the benchmark's
 * default dataset; the four subgraphs and our gateway run in this process in front of each. The dashboard goes
 * to both alternately; per dashboard, the MongoDB CPU is its process's (from /proc), the graph's CPU this
 * process's. Writes bench/out/EMBEDDED.md (untracked), or with `--write-committed` the committed bench/EMBEDDED.md.
 * About 2 minutes, most of it seeding.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import type { Evaluation } from '../embedded-mongo/evaluation';
import { startGateway } from '../gateway/startGateway';
import { authConfigFromEnv } from '../lib/auth/config';
import { signToken } from '../lib/auth/sign';
import { subgraphSigningFromEnv } from '../lib/auth/subgraphSignature';
import type { RunningService } from '../lib/http/serveGraphQL';
import { seedDemoData } from '../scripts/seed/demo';
import { actionsSubgraph } from '../subgraphs/actions';
import { housingSubgraph } from '../subgraphs/housing';
import { partnersSubgraph } from '../subgraphs/partners';
import { startSubgraph } from '../subgraphs/shared/startSubgraph';
import { tenancySubgraph } from '../subgraphs/tenancy';
import { DEFAULT_COUNTS } from './support/dataset';
import { cpuMilliseconds, startChild, stopAllChildren } from './support/processes';

const ROOT = path.resolve(__dirname, '..');
const WARM_UP = 3;
const MEASURED = 20;
const SUBGRAPHS = [housingSubgraph, tenancySubgraph, actionsSubgraph, partnersSubgraph] as const;
/** As `npm start` runs the embedded server (see embedded-mongo/README.md), from source. */
const EMBEDDED_MONGO_NODE_FLAGS = ['--max-semi-space-size=32', '--import', 'tsx'];

interface Backend {
  evaluation: Evaluation;
  gatewayUrl: string;
  /** CPU milliseconds of the MongoDB process so far. */
  mongoCpuMs: () => number;
  close: () => Promise<void>;
}

async function startBackend(evaluation: Evaluation, now: Date): Promise<Backend> {
  const auth = authConfigFromEnv({ NODE_ENV: 'test' });
  const signing = subgraphSigningFromEnv({ NODE_ENV: 'test' });
  const mongo = startChild(
    `mongo-${evaluation}`,
    process.execPath,
    [...EMBEDDED_MONGO_NODE_FLAGS, 'embedded-mongo/cli.ts', '--port', '0', '--evaluation', evaluation],
    {
      cwd: ROOT,
      env: process.env,
      logDir: path.join(ROOT, 'bench/logs'),
    },
  );
  const client = await MongoClient.connect(await mongo.firstLine);
  const db = client.db('bench');
  await seedDemoData(db, { counts: DEFAULT_COUNTS, now });
  const services: RunningService[] = [];
  for (const definition of SUBGRAPHS) {
    services.push(
      await startSubgraph(definition as Parameters<typeof startSubgraph>[0], { port: 0, host: '127.0.0.1', db, auth, signing }),
    );
  }
  const gateway = await startGateway({
    port: 0,
    host: '127.0.0.1',
    supergraphSdl: readFileSync(path.join(ROOT, 'schema/supergraph.graphql'), 'utf8'),
    subgraphUrls: Object.fromEntries(services.map((service) => [service.name, service.url])),
    auth,
    signing,
  });
  return {
    evaluation,
    gatewayUrl: gateway.url,
    mongoCpuMs: () => cpuMilliseconds(mongo.pid),
    async close() {
      await gateway.close();
      for (const service of services) await service.close();
      await client.close();
    },
  };
}

async function main(): Promise<void> {
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  process.env.LOG_LEVEL ??= 'warn';
  mkdirSync(path.join(ROOT, 'bench/logs'), { recursive: true });
  const now = new Date();
  const backends = [await startBackend('native', now), await startBackend('mingo', now)];
  const districtId = 'district-0002';
  const token = await signToken(
    { role: 'COORDINATOR', sub: 'bench-coordinator', districtIds: [districtId] },
    authConfigFromEnv({ NODE_ENV: 'test' }),
    { expiresIn: '1h' },
  );
  const body = JSON.stringify({
    query: readFileSync(path.join(ROOT, 'schema/operations/districtDashboard.graphql'), 'utf8'),
    variables: { districtId, period: { year: now.getUTCFullYear() }, first: 50 },
  });
  const dashboard = async (backend: Backend) => {
    const response = await fetch(backend.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    const answer = (await response.json()) as { data?: unknown; errors?: unknown[] };
    if (!answer.data || answer.errors) throw new Error(`the dashboard failed on ${backend.evaluation}: ${JSON.stringify(answer.errors)}`);
    return JSON.stringify(answer.data);
  };

  const answers = new Set<string>();
  for (let round = 0; round < WARM_UP; round += 1) for (const backend of backends) answers.add(await dashboard(backend));
  const totals = new Map(backends.map((backend) => [backend.evaluation, { mongoCpuMs: 0, graphCpuMs: 0, wallMs: 0 }]));
  for (let round = 0; round < MEASURED; round += 1) {
    // Alternately, so that whatever else the machine does weighs on both.
    for (const backend of round % 2 === 0 ? backends : [...backends].reverse()) {
      const total = totals.get(backend.evaluation)!;
      const [mongoBefore, cpuBefore, wallBefore] = [backend.mongoCpuMs(), process.cpuUsage(), performance.now()];
      answers.add(await dashboard(backend));
      const cpu = process.cpuUsage(cpuBefore);
      total.wallMs += performance.now() - wallBefore;
      total.graphCpuMs += (cpu.user + cpu.system) / 1000;
      total.mongoCpuMs += backend.mongoCpuMs() - mongoBefore;
    }
  }
  for (const backend of backends) await backend.close();
  await stopAllChildren();

  const perDashboard = (value: number) => Math.round((value / MEASURED) * 10) / 10;
  const rows = backends.map((backend) => {
    const total = totals.get(backend.evaluation)!;
    return `| ${backend.evaluation === 'native' ? 'native paths (the default)' : 'mingo alone (`--evaluation mingo`)'} | ${perDashboard(total.mongoCpuMs)} | ${perDashboard(total.graphCpuMs)} | ${perDashboard(total.wallMs)} |`;
  });
  const report = `# The embedded MongoDB on the district dashboard (generated by \`npm run bench:embedded\`)

Run ${now.toISOString()} on ${os.cpus().length} cores, Node ${process.version}. Default benchmark dataset (${DEFAULT_COUNTS.requests.toLocaleString('en')} service
requests over ${DEFAULT_COUNTS.districts} districts); one dashboard at a time, ${WARM_UP} warm-up rounds then ${MEASURED} measured, the two servers alternately,
each MongoDB in a process of its own (\`${EMBEDDED_MONGO_NODE_FLAGS.join(' ')}\`), the subgraphs and the gateway in another. Both servers gave the
same answer: ${answers.size === 1 ? 'yes' : '**no**'}.

| embedded MongoDB | MongoDB CPU ms per dashboard | gateway and subgraphs CPU ms per dashboard | latency ms |
| --- | --- | --- | --- |
${rows.join('\n')}
`;
  const reportFile = process.argv.includes('--write-committed')
    ? path.join(ROOT, 'bench/EMBEDDED.md')
    : path.join(ROOT, 'bench/out/EMBEDDED.md');
  mkdirSync(path.dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, report);
  process.stdout.write(report);
  if (answers.size !== 1) process.exitCode = 1;
}

main().catch(async (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  await stopAllChildren();
  process.exit(1);
});
