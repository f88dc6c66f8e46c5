import { writeFileSync } from 'node:fs';
import { SUBGRAPH_NAMES } from '../../lib/subgraphs';
import type { SeedCounts } from '../../scripts/seed/counts';
import type { RunResult } from './load';

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  machine: { cores: number; cpu: string; memoryGiB: number; node: string };
  settings: { connections: number; warmupSeconds: number; durationSeconds: number; rounds: number };
  dataset: { counts: SeedCounts; seedSeconds: Record<string, number> };
  variants: { name: string; env: Record<string, string>; describe: string }[];
  workloads: { name: string; describe: string }[];
  singles: { operation: string; variant: string; mongoCommands: number; mongoMs: number; latencyMs: number; ok: boolean }[];
  sameDashboardData: boolean;
  runs: RunResult[];
  statsProbe: { aggregate: string; selectedFields: string[]; allPartsMs: number; selectedPartsMs: number }[];
  scaling: {
    factor: number;
    counts: SeedCounts;
    buildingsInDistrict: number;
    mongoCommandsPerRequest: number;
    idleMongoMs: number;
    commandsStable: boolean;
    idleLatencyMs: number;
    ok: boolean;
    load: RunResult;
  }[];
  lifetimePeakRssMiB: Record<string, number>;
}

/** A variant's runs of one operation, averaged over rounds. */
export interface Summary {
  variant: string;
  rounds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  responses: number;
  commandsPerRequest: number;
  mongoMsPerRequest: number;
  gatewayRssMiB: number;
  subgraphsRssMiB: number;
  mongoRssMiB: number;
  gatewayCpuMs: number;
  subgraphsCpuMs: number;
  mongoCpuMs: number;
  /** Each round's p99, to tell an outlier (a pause of the embedded MongoDB) from a difference. */
  p99ByRound: number[];
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);
const one = (value: number) => Math.round(value * 10) / 10;

export function summarize(runs: readonly RunResult[], operation: string, variant: string): Summary | undefined {
  const mine = runs.filter((run) => run.operation === operation && run.variant === variant);
  if (mine.length === 0) return undefined;
  const avg = (pick: (run: RunResult) => number) => one(mean(mine.map(pick)));
  return {
    variant,
    rounds: mine.length,
    rps: avg((run) => run.rps),
    p50: avg((run) => run.latencyMs.p50),
    p95: avg((run) => run.latencyMs.p95),
    p99: avg((run) => run.latencyMs.p99),
    errors: mine.reduce((sum, run) => sum + run.errors.connection + run.errors.non2xx + run.errors.graphql, 0),
    responses: mine.reduce((sum, run) => sum + run.responses, 0),
    commandsPerRequest: Math.round(mean(mine.map((run) => run.mongoCommandsPerRequest)) * 100) / 100,
    mongoMsPerRequest: avg((run) => run.mongoMsPerRequest),
    gatewayRssMiB: Math.max(...mine.map((run) => run.peakRssMiB.gateway ?? 0)),
    subgraphsRssMiB: Math.max(...mine.map((run) => SUBGRAPH_NAMES.reduce((sum, name) => sum + (run.peakRssMiB[name] ?? 0), 0))),
    mongoRssMiB: Math.max(...mine.map((run) => run.peakRssMiB.mongo ?? 0)),
    gatewayCpuMs: avg((run) => run.cpuMsPerRequest.gateway),
    subgraphsCpuMs: avg((run) => run.cpuMsPerRequest.subgraphs),
    mongoCpuMs: avg((run) => run.cpuMsPerRequest.mongo),
    p99ByRound: [...mine].sort((a, b) => a.round - b.round).map((run) => run.latencyMs.p99),
  };
}

function table(headers: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

const SUMMARY_HEADERS = [
  'gateway',
  'rounds',
  'req/s',
  'p50 ms',
  'p95 ms',
  'p99 ms',
  'p99 by round',
  'errors / responses',
  'Mongo cmds/req',
  'CPU ms/req: gateway',
  'subgraphs',
  'MongoDB',
  'peak RSS MiB: gateway',
  'subgraphs (4)',
  'MongoDB',
];

function summaryRow(summary: Summary): (string | number)[] {
  return [
    summary.variant,
    summary.rounds,
    summary.rps,
    summary.p50,
    summary.p95,
    summary.p99,
    summary.p99ByRound.join(', '),
    `${summary.errors} / ${summary.responses}`,
    summary.commandsPerRequest,
    summary.gatewayCpuMs,
    summary.subgraphsCpuMs,
    summary.mongoCpuMs,
    summary.gatewayRssMiB,
    summary.subgraphsRssMiB,
    summary.mongoRssMiB,
  ];
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : NaN);

/** Each optimisation as the switch that turns it on, and the two gateways of the same run that differ by it alone. */
const OPTIMISATION_STEPS = [
  {
    step: 'Query plan cache (Apollo LRU)',
    switch: 'QUERY_PLAN_CACHE_MIB=0 → 30',
    operation: 'lookup',
    before: 'baseline, no plan cache',
    after: 'baseline',
  },
  {
    step: "Subgraph calls through node-fetch on a pooled keep-alive http.Agent instead of Apollo's make-fetch-happen",
    switch: 'SUBGRAPH_HTTP_CLIENT=apollo → keep-alive',
    operation: 'lookup',
    before: 'baseline',
    after: 'ours, dedup off',
  },
  {
    step: 'Keep-alive itself (same client, a new connection per call before)',
    switch: 'SUBGRAPH_HTTP_CLIENT=no-keep-alive → keep-alive',
    operation: 'lookup',
    before: 'no keep-alive',
    after: 'ours, dedup off',
  },
  {
    step: 'In-flight deduplication of identical queries',
    switch: 'DEDUPLICATE_QUERIES=off → on',
    operation: 'dashboard',
    before: 'ours, dedup off',
    after: 'ours',
  },
  {
    step: 'In-flight deduplication, distinct lookups (nothing to share)',
    switch: 'DEDUPLICATE_QUERIES=off → on',
    operation: 'lookup',
    before: 'ours, dedup off',
    after: 'ours',
  },
  {
    step: 'Two gateway processes (node:cluster)',
    switch: 'GATEWAY_WORKERS=1 → 2',
    operation: 'dashboard',
    before: 'ours',
    after: 'ours, 2 workers',
  },
  {
    step: 'Two gateway processes (node:cluster)',
    switch: 'GATEWAY_WORKERS=1 → 2',
    operation: 'lookup',
    before: 'ours',
    after: 'ours, 2 workers',
  },
  {
    step: "The embedded MongoDB's native paths (filters, projections, $group, $facet without copies, Date ranges on compound indexes)",
    switch: 'embedded-mongo --evaluation mingo → native',
    operation: 'dashboard',
    before: 'ours, MongoDB evaluating with mingo alone',
    after: 'ours',
  },
  {
    step: 'Tracing on, spans exported (its cost)',
    switch: 'OTEL_TRACES_EXPORTER=none → otlp',
    operation: 'dashboard',
    before: 'ours',
    after: 'ours, tracing on',
  },
  {
    step: 'Tracing on, spans exported (its cost)',
    switch: 'OTEL_TRACES_EXPORTER=none → otlp',
    operation: 'lookup',
    before: 'ours',
    after: 'ours, tracing on',
  },
  { step: 'All gateway steps together', switch: 'baseline → our defaults', operation: 'dashboard', before: 'baseline', after: 'ours' },
  { step: 'All gateway steps together', switch: 'baseline → our defaults', operation: 'lookup', before: 'baseline', after: 'ours' },
];

function optimisationRows(runs: readonly RunResult[]): (string | number)[][] {
  return OPTIMISATION_STEPS.flatMap((entry) => {
    const before = summarize(runs, entry.operation, entry.before);
    const after = summarize(runs, entry.operation, entry.after);
    if (!before || !after) return [];
    return [
      [
        entry.step,
        `\`${entry.switch}\``,
        entry.operation,
        `${before.rps} → ${after.rps} (×${ratio(after.rps, before.rps)})`,
        `${before.p99} → ${after.p99}`,
        `${before.commandsPerRequest} → ${after.commandsPerRequest}`,
        `${before.gatewayCpuMs} → ${after.gatewayCpuMs}`,
        `${before.mongoCpuMs} → ${after.mongoCpuMs}`,
      ],
    ];
  });
}

function targetRows(results: BenchResults): (string | number)[][] {
  const ours = summarize(results.runs, 'dashboard', 'ours');
  const hive = summarize(results.runs, 'dashboard', 'Hive (dedup on)');
  const verdict = (met: boolean) => (met ? 'met' : '**missed**');
  const rows: (string | number)[][] = [];
  if (results.scaling.length > 0) {
    const counts = results.scaling.map((entry) => entry.mongoCommandsPerRequest);
    const constant = counts.every((count) => count === counts[0]) && results.scaling.every((entry) => entry.commandsStable);
    rows.push([
      'MongoDB commands per dashboard constant as the district grows',
      results.scaling.map((entry) => `${entry.factor}×: ${entry.mongoCommandsPerRequest}`).join(', '),
      verdict(constant),
    ]);
  }
  if (ours && hive) {
    const throughput = ratio(ours.rps, hive.rps);
    const p99 = ratio(ours.p99, hive.p99);
    rows.push(['dashboard throughput ≥ 1.5 × Hive (dedup on)', `×${throughput}`, verdict(throughput >= 1.5)]);
    rows.push(['dashboard p99 no worse than Hive (dedup on)', `×${p99}`, verdict(p99 <= 1)]);
  }
  if (ours)
    rows.push([`dashboard p99 < 100 ms at ${results.settings.connections} concurrent clients`, `${ours.p99} ms`, verdict(ours.p99 < 100)]);
  return rows;
}

/** The figures, as RESULTS.md; interpretation is written by hand below the generated part. */
export function resultsMarkdown(results: BenchResults): string {
  const operations = results.workloads.map((workload) => workload.name);
  const sections: string[] = [];
  const { counts } = results.dataset;
  sections.push(`# Benchmark results (generated by \`npm run bench\`)

Run ${results.startedAt} – ${results.finishedAt} on ${results.machine.cores} cores (${results.machine.cpu}), ${results.machine.memoryGiB} GiB, Node ${results.machine.node}.
Every service is compiled (\`npm run build\`), runs with \`NODE_ENV=production\` and \`LOG_LEVEL=warn\`, and listens on 127.0.0.1; the
embedded MongoDB runs in a process of its own. Load: autocannon, ${results.settings.connections} connections, ${results.settings.warmupSeconds} s warm-up
then ${results.settings.durationSeconds} s measured, ${results.settings.rounds} round(s) per gateway, the order of the gateways reversed every other round.
Figures are means over rounds; latencies are exact percentiles of every response of a run.

Dataset: ${counts.landlords} landlords, ${counts.districts} districts, ${counts.buildings.toLocaleString('en')} buildings, ${counts.dwellings.toLocaleString('en')} dwellings,
${counts.requests.toLocaleString('en')} service requests, ${counts.actions.toLocaleString('en')} actions (seeded in ${results.dataset.seedSeconds.bench?.toFixed(1)} s).

Ours and Hive answer the same dashboard request with the same data: ${results.sameDashboardData ? 'yes' : '**no**'}.`);

  sections.push(`## Workloads\n\n${results.workloads.map((workload) => `- **${workload.name}**: ${workload.describe}`).join('\n')}`);
  sections.push(
    `## Gateways\n\n${results.variants
      .map(
        (variant) =>
          `- **${variant.name}**${
            Object.keys(variant.env).length
              ? ` (\`${Object.entries(variant.env)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(' ')}\`)`
              : ''
          }: ${variant.describe}`,
      )
      .join('\n')}`,
  );

  const headline: string[] = [];
  for (const operation of operations) {
    const ours = summarize(results.runs, operation, 'ours');
    const hive = summarize(results.runs, operation, 'Hive (dedup on)');
    const oursOff = summarize(results.runs, operation, 'ours, dedup off');
    const hiveOff = summarize(results.runs, operation, 'Hive (dedup off)');
    const compare = (label: string, a: Summary, b: Summary) =>
      [
        operation,
        label,
        ratio(a.rps, b.rps),
        ratio(a.p99, b.p99),
        ratio(a.gatewayCpuMs, b.gatewayCpuMs),
        ratio(a.mongoCpuMs, b.mongoCpuMs),
      ].join(' | ');
    if (ours && hive) headline.push(compare('ours / Hive (dedup on)', ours, hive));
    if (oursOff && hiveOff) headline.push(compare('ours, dedup off / Hive (dedup off)', oursOff, hiveOff));
  }
  sections.push(`## Ours against Hive Gateway (same run)

Throughput and p99 are what clients see; on 2 shared cores they follow the CPU per response of every process: the
subgraphs' and MongoDB's, which both gateways cause alike, and the gateway's own. The gateway's CPU per request is what
the gateway costs: on a machine where it is the limit, throughput per core goes as its inverse.

| operation | ratio | throughput (×) | p99 (×, lower is better) | gateway CPU per request (×, lower is better) | MongoDB CPU per request (×) |
| --- | --- | --- | --- | --- | --- |
${headline.map((row) => `| ${row} |`).join('\n')}`);

  sections.push(`## Targets (dashboard, default dataset)\n\n${table(['target', 'measured', 'verdict'], targetRows(results))}`);

  sections.push(`## Optimisations, each against the same gateway without it (same run)

Measured on the operation where the step can show: the gateway's own costs (planning, HTTP client) on the lookup, where
they are a larger share; deduplication, workers and the embedded MongoDB's native paths on the dashboard. Subgraph-side
steps follow below (request statistics) and in INDEXES.md.

${table(['step', 'switch', 'operation', 'req/s before → after', 'p99 ms before → after', 'Mongo cmds/req before → after', 'gateway CPU ms/req before → after', 'MongoDB CPU ms/req before → after'], optimisationRows(results.runs))}`);

  for (const operation of operations) {
    const variants = [...new Set(results.runs.filter((run) => run.operation === operation).map((run) => run.variant))];
    const rows = variants.map((variant) => summaryRow(summarize(results.runs, operation, variant)!));
    sections.push(`## ${operation}\n\n${table(SUMMARY_HEADERS, rows)}`);
  }

  sections.push(
    `## One request on an idle graph\n\n${table(
      ['operation', 'gateway', 'MongoDB commands', 'subgraphs waiting on MongoDB, ms (summed)', 'latency ms', 'answered without errors'],
      results.singles.map((entry) => [
        entry.operation,
        entry.variant,
        entry.mongoCommands,
        entry.mongoMs,
        entry.latencyMs,
        entry.ok ? 'yes' : '**no**',
      ]),
    )}`,
  );

  sections.push(
    `## Request statistics: computing only the selected parts (same run, median of 6)\n\n${table(
      ['aggregate', 'fields the dashboard selects', 'all parts ms', 'selected parts ms'],
      results.statsProbe.map((entry) => [entry.aggregate, entry.selectedFields.join(', '), entry.allPartsMs, entry.selectedPartsMs]),
    )}`,
  );

  const scalingLoad = results.scaling[0]?.load;
  sections.push(`## Scaling: the dashboard of one district at 1×, 4×, 16× the default district size (ours, dedup off)

Each size is a database of its own holding one district shared by three landlords; actions stay at the default 100 per district.
Idle: 5 requests one after the other. Load: ${scalingLoad?.responses ?? 0} requests over ${scalingLoad?.connections ?? 0} connections.

${table(
  [
    'size',
    'buildings',
    'dwellings',
    'service requests',
    'MongoDB commands per dashboard',
    'same count on every request',
    'idle latency ms (median of 5)',
    'idle: subgraphs waiting on MongoDB, ms',
    'load: req/s',
    'p50 ms',
    'p99 ms',
    'errors',
  ],
  results.scaling.map((entry) => [
    `${entry.factor}×`,
    entry.counts.buildings,
    entry.counts.dwellings.toLocaleString('en'),
    entry.counts.requests.toLocaleString('en'),
    entry.mongoCommandsPerRequest,
    entry.commandsStable ? 'yes' : '**no**',
    entry.idleLatencyMs,
    entry.idleMongoMs,
    entry.load.rps,
    entry.load.latencyMs.p50,
    entry.load.latencyMs.p99,
    entry.load.errors.connection + entry.load.errors.non2xx + entry.load.errors.graphql,
  ]),
)}`);

  sections.push(
    `## Peak RSS over the whole run (VmHWM)\n\n${table(
      ['process', 'MiB'],
      Object.entries(results.lifetimePeakRssMiB).map(([name, mib]) => [name, mib]),
    )}`,
  );
  return `${sections.join('\n\n')}\n`;
}

export function writeResultsMarkdown(file: string, results: BenchResults): void {
  writeFileSync(file, resultsMarkdown(results));
}
