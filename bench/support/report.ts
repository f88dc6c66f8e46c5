import { writeFileSync } from 'node:fs';
import { SUBGRAPH_NAMES } from '../../lib/subgraphs';
import type { SeedCounts } from '../../scripts/seed/counts';
import type { GatewayOnlyResults } from './gatewayOnly';
import type { RunResult } from './load';
import {
  DASHBOARD_DISTINCT,
  DASHBOARD_SHARED,
  HIVE,
  MUTATIONS,
  OURS,
  OURS_EVERY_REQUEST,
  OURS_UNCACHED,
  type WorkloadName,
} from './variants';

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  machine: { cores: number; cpu: string; memoryGiB: number; node: string };
  /** A `--quick` run: checks the instrument, its figures mean nothing. */
  quick: boolean;
  mongo: { kind: 'embedded' | 'external'; describe: string };
  settings: { connections: number; warmupSeconds: number; durationSeconds: number; rounds: number };
  dataset: { counts: SeedCounts; seedSeconds: Record<string, number> };
  variants: { name: string; env: Record<string, string>; subgraphEnv: Record<string, string>; describe: string }[];
  /** `off` and `on`: the gateways measured for each state (absent from runs before they were named here). */
  levers: { name: string; variable: string; acts: string; workloads: string[]; off?: string; on?: string }[];
  skippedLevers: { name: string; variable: string; reason: string }[];
  workloads: { name: string; describe: string }[];
  singles: { operation: string; variant: string; mongoCommands: number; mongoMs: number; latencyMs: number; ok: boolean }[];
  /** Per gateway: whether it answers every dashboard of the run with the same data as ours with every request executed. */
  sameDashboardData: Record<string, boolean>;
  runs: RunResult[];
  gatewayOnly: GatewayOnlyResults;
  scaling: {
    variant: string;
    factor: number;
    counts: SeedCounts;
    buildingsInDistrict: number;
    mongoCommandsPerRequest: number;
    idleMongoMs: number;
    commandsStable: boolean;
    idleLatencyMs: number;
    /** The first dashboard the fresh processes of this size answered (absent from runs before it was measured). */
    firstLatencyMs?: number;
    /** Requests answered after the first and before the idle ones (absent from runs before it was recorded). */
    warmUpRequests?: number;
    idleRequests: number;
    ok: boolean;
    /** Absent when one idle dashboard already took too long to load the size. */
    load?: RunResult;
  }[];
  lifetimePeakRssMiB: Record<string, number>;
}

/** A variant's runs of one workload, averaged over rounds. */
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
  gatewayRssMiB: number;
  /** CPU ms per request of each process (gateway, each subgraph, mongo) and their total. */
  cpu: Record<string, number>;
  /** Each round's p99, to tell an outlier (a pause of the embedded MongoDB) from a difference. */
  p99ByRound: number[];
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);
const one = (value: number) => Math.round(value * 10) / 10;

export function summarize(runs: readonly RunResult[], operation: string, variant: string): Summary | undefined {
  const mine = runs.filter((run) => run.operation === operation && run.variant === variant);
  if (mine.length === 0) return undefined;
  const avg = (pick: (run: RunResult) => number) => one(mean(mine.map(pick)));
  const processes = [...new Set(mine.flatMap((run) => Object.keys(run.cpuMsPerRequest)))];
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
    gatewayRssMiB: Math.max(...mine.map((run) => run.peakRssMiB.gateway ?? 0)),
    cpu: Object.fromEntries(processes.map((name) => [name, avg((run) => run.cpuMsPerRequest[name] ?? 0)])),
    p99ByRound: [...mine].sort((a, b) => a.round - b.round).map((run) => run.latencyMs.p99),
  };
}

function table(headers: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : NaN);
const verdict = (met: boolean) => (met ? 'met' : '**not met**');
/** The processes of the full stack, in the order of a request's way. */
const CPU_COLUMNS = ['gateway', ...SUBGRAPH_NAMES, 'mongo'];
/** Flat: the 16× dashboard's idle latency at most this many times the 1× one. */
const FLAT_LATENCY_RATIO = 1.5;
/** What a gateway-only run gives: requests per second over the gateway's cores used, i.e. 1000 / its CPU ms per request. */
const perCore = (gatewayCpuMs: number) => (gatewayCpuMs > 0 ? Math.round(1000 / gatewayCpuMs) : NaN);

function stackTable(results: BenchResults, operation: string): string {
  const variants = [...new Set(results.runs.filter((run) => run.operation === operation).map((run) => run.variant))];
  const rows = variants.map((variant) => {
    const summary = summarize(results.runs, operation, variant)!;
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
      ...CPU_COLUMNS.map((name) => summary.cpu[name] ?? 'n/a'),
      summary.cpu.total ?? 0,
      summary.gatewayRssMiB,
    ];
  });
  return table(
    [
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
      ...SUBGRAPH_NAMES,
      'MongoDB',
      'total',
      'gateway peak RSS MiB',
    ],
    rows,
  );
}

/** Our gateway best by `measure` (lowest) on a workload, among runs answered in full, for the targets' third column. */
function bestOfOurs(results: BenchResults, operation: string, measure: (summary: Summary) => number): Summary | undefined {
  return results.variants
    .filter((variant) => variant.name.startsWith(OURS))
    .map((variant) => summarize(results.runs, operation, variant.name))
    .filter((summary): summary is Summary => summary !== undefined && summary.responses > 0 && summary.errors === 0)
    .sort((a, b) => measure(a) - measure(b))[0];
}

/**
 * Whether a missed latency target is within reach of the machine's CPU. Each connection sends its next request once
 * answered, so with every answer under the budget the connections send at least connections / budget requests a
 * second; the cores serve at most cores × 1000 / (CPU ms per request, every process of the stack) of them, before the
 * load generator takes its share.
 */
function capacityNote(results: BenchResults, ours: Summary, budgetMs: number): string {
  const needed = Math.ceil((results.settings.connections * 1000) / budgetMs);
  // A MongoDB given by MONGODB_URI may run on another host: only the processes of this machine share its cores.
  const elsewhere = results.mongo.kind === 'external' ? (ours.cpu.mongo ?? 0) : 0;
  const cpuMs = Math.round(((ours.cpu.total ?? 0) - elsewhere) * 10) / 10;
  if (cpuMs <= 0) return '';
  const most = Math.floor((results.machine.cores * 1000) / cpuMs);
  return most < needed
    ? `out of the cores' reach: ${results.settings.connections} clients answered within ${budgetMs} ms send at least ${needed} req/s; at ${cpuMs} ms of this machine's CPU per request, its ${results.machine.cores} cores serve at most ${most}`
    : `within the cores' reach (${needed} req/s needed, at most ${most} at ${cpuMs} ms of this machine's CPU per request): the tail is waiting, not capacity`;
}

function targetRows(results: BenchResults): (string | number)[][] {
  const rows: (string | number)[][] = [];
  const latencyTarget = (operation: WorkloadName, label: string, budgetMs: number) => {
    const ours = summarize(results.runs, operation, OURS);
    if (!ours) return;
    const best = bestOfOurs(results, operation, (summary) => summary.p99);
    // A run in which no response came back (all slower than the run) has no p99: that is a miss, not 0 ms.
    const answered = ours.responses > 0;
    const met = answered && ours.errors === 0 && ours.p99 < budgetMs;
    rows.push([
      `${label}: p99 < ${budgetMs} ms`,
      answered
        ? `${ours.p99} ms (${ours.rps} req/s${ours.errors ? `, ${ours.errors} errors` : ''})`
        : `no response within the ${results.settings.durationSeconds} s run`,
      [best && best.variant !== OURS ? `${best.variant}: ${best.p99} ms` : '', met ? '' : capacityNote(results, ours, budgetMs)]
        .filter(Boolean)
        .join('; '),
      verdict(met),
    ]);
  };
  latencyTarget(DASHBOARD_DISTINCT, '20 clients, each on a different district', 100);
  const distinct = summarize(results.runs, DASHBOARD_DISTINCT, OURS);
  if (distinct) {
    const best = bestOfOurs(results, DASHBOARD_DISTINCT, (summary) => summary.cpu.total ?? Infinity);
    rows.push([
      'the same: under 10 ms of CPU per dashboard, every process counted',
      `${distinct.cpu.total} ms`,
      best && best.variant !== OURS ? `${best.variant}: ${best.cpu.total} ms` : '',
      verdict(distinct.responses > 0 && (distinct.cpu.total ?? Infinity) < 10),
    ]);
  }
  latencyTarget(DASHBOARD_SHARED, '20 clients on 5 districts', 50);
  latencyTarget(MUTATIONS, 'the action mutation mix', 50);

  const defaults = results.scaling.filter((entry) => entry.variant === OURS_EVERY_REQUEST);
  if (defaults.length > 0) {
    const counts = defaults.map((entry) => entry.mongoCommandsPerRequest);
    rows.push([
      'MongoDB commands per dashboard flat from 1× to 16×',
      defaults.map((entry) => `${entry.factor}×: ${entry.mongoCommandsPerRequest}`).join(', '),
      '',
      verdict(counts.every((count) => count === counts[0]) && defaults.every((entry) => entry.commandsStable)),
    ]);
    for (const variant of [...new Set(results.scaling.map((entry) => entry.variant))]) {
      const mine = results.scaling.filter((entry) => entry.variant === variant);
      const first = mine[0]!;
      const last = mine.at(-1)!;
      const growth = ratio(last.idleLatencyMs, first.idleLatencyMs);
      rows.push([
        `dashboard latency flat from ${first.factor}× to ${last.factor}× (idle, at most ×${FLAT_LATENCY_RATIO})${variant === OURS_EVERY_REQUEST ? '' : `, ${variant}`}`,
        `${mine.map((entry) => `${entry.factor}×: ${entry.idleLatencyMs} ms`).join(', ')} (×${growth})`,
        '',
        verdict(growth <= FLAT_LATENCY_RATIO),
      ]);
    }
  }

  const gatewayOnly = (name: string) => summarize(results.gatewayOnly.runs, results.gatewayOnly.workload, name);
  const ours = gatewayOnly('ours');
  const hive = gatewayOnly('Hive Gateway, Rust query planner');
  const apollo = gatewayOnly('stock Apollo Gateway');
  const valid = results.gatewayOnly.sameResponses && results.gatewayOnly.unexpectedQueries === 0;
  const oursPerCore = ours ? perCore(ours.cpu.gateway ?? 0) : NaN;
  if (ours && hive) {
    const hivePerCore = perCore(hive.cpu.gateway ?? 0);
    rows.push([
      'gateway only: our throughput per core ≥ Hive Gateway with the Rust query planner',
      `${oursPerCore} against ${hivePerCore} req/s per core (×${ratio(oursPerCore, hivePerCore)}); p99 ${ours.p99} against ${hive.p99} ms`,
      valid ? '' : 'answers or queries differed: see the gateway-only section',
      verdict(valid && oursPerCore >= hivePerCore),
    ]);
  }
  if (ours && apollo) {
    const apolloPerCore = perCore(apollo.cpu.gateway ?? 0);
    rows.push([
      'gateway only: our throughput per core > stock Apollo Gateway',
      `${oursPerCore} against ${apolloPerCore} req/s per core (×${ratio(oursPerCore, apolloPerCore)}); p99 ${ours.p99} against ${apollo.p99} ms`,
      valid ? '' : 'answers or queries differed: see the gateway-only section',
      verdict(valid && oursPerCore > apolloPerCore),
    ]);
  }
  return rows;
}

/** Each measured lever, off against on, on every workload it loads; and in-flight deduplication, measured alike. */
function leverRows(results: BenchResults): (string | number)[][] {
  const pairs = [
    ...results.levers.flatMap((lever) =>
      lever.workloads.map((workload) => ({
        lever: lever.name,
        variable: lever.variable,
        workload,
        off:
          lever.off ?? (results.variants.some((variant) => variant.name === `ours, ${lever.name} off`) ? `ours, ${lever.name} off` : OURS),
        on: lever.on ?? `ours, ${lever.name} on`,
      })),
    ),
    // Against the same without the response cache, which would otherwise answer most of these dashboards.
    {
      lever: 'in-flight deduplication',
      variable: 'DEDUPLICATE_QUERIES',
      workload: DASHBOARD_SHARED,
      off: OURS_EVERY_REQUEST,
      on: OURS_UNCACHED,
    },
  ];
  return pairs.flatMap((pair) => {
    const off = summarize(results.runs, pair.workload, pair.off);
    const on = summarize(results.runs, pair.workload, pair.on);
    if (!off || !on) return [];
    const arrow = (pick: (summary: Summary) => number | undefined) => `${pick(off) ?? 'n/a'} → ${pick(on) ?? 'n/a'}`;
    return [
      [
        pair.lever,
        `\`${pair.variable}\``,
        pair.workload,
        `${arrow((summary) => summary.rps)} (×${ratio(on.rps, off.rps)})`,
        arrow((summary) => summary.p50),
        arrow((summary) => summary.p99),
        arrow((summary) => summary.cpu.total),
        arrow((summary) => summary.cpu.gateway),
        arrow((summary) => summary.cpu.tenancy),
        arrow((summary) => summary.cpu.mongo),
        arrow((summary) => summary.commandsPerRequest),
      ],
    ];
  });
}

function gatewayOnlySection(results: BenchResults): string {
  const only = results.gatewayOnly;
  const rows = only.variants.flatMap((variant) => {
    const summary = summarize(only.runs, only.workload, variant.name);
    if (!summary) return [];
    const gatewayCpu = summary.cpu.gateway ?? 0;
    return [
      [
        variant.name,
        summary.rps,
        summary.p50,
        summary.p99,
        summary.p99ByRound.join(', '),
        `${summary.errors} / ${summary.responses}`,
        gatewayCpu,
        one((summary.rps * gatewayCpu) / 1000),
        perCore(gatewayCpu),
        summary.cpu['fixed subgraphs'] ?? 'n/a',
        summary.commandsPerRequest,
        summary.gatewayRssMiB,
      ],
    ];
  });
  return `## Gateway only: constant subgraph answers (same run)

The four subgraphs replaced by fixed servers (one process, \`bench/support/fixedSubgraphs.ts\`) answering with what the
real subgraphs answered once to each gateway's own queries, as the public gateway benchmarks do; a query not recorded
is refused and counted. Workload: ${only.workload}, ${results.settings.connections} connections, each on its own district (nothing to
deduplicate). Throughput per core is requests per second over the gateway's cores used: 1000 / its CPU ms per request.

- Every gateway answered each of the ${only.requestsChecked} distinct requests with the same JSON, while recording and again on replay: ${
    only.sameResponses ? 'yes' : `**no** (${only.mismatches.slice(0, 5).join('; ')})`
  }.
- Subgraph answers recorded: ${only.recordedAnswers}; subgraph requests refused as not recorded: ${only.unexpectedQueries === 0 ? '0' : `**${only.unexpectedQueries}**`}.

${only.variants.map((variant) => `- **${variant.name}**${envText(variant.env)}: ${variant.describe}`).join('\n')}

${table(
  [
    'gateway',
    'req/s',
    'p50 ms',
    'p99 ms',
    'p99 by round',
    'errors / responses',
    'gateway CPU ms/req',
    'gateway cores used',
    'req/s per core',
    'fixed subgraphs CPU ms/req',
    'subgraph requests per request',
    'gateway peak RSS MiB',
  ],
  rows,
)}`;
}

function envText(env: Record<string, string>, label = ''): string {
  const entries = Object.entries(env);
  return entries.length ? ` (${label}\`${entries.map(([key, value]) => `${key}=${value}`).join(' ')}\`)` : '';
}

/** The figures, as RESULTS.md: generated whole by the run. */
export function resultsMarkdown(results: BenchResults): string {
  const sections: string[] = [];
  const { counts } = results.dataset;
  sections.push(`# Benchmark results (generated by \`npm run bench\`)
${results.quick ? '\n**A `--quick` run: a tenth of the data and runs of a few seconds, to check the instrument. Its figures mean nothing.**\n' : ''}
Run ${results.startedAt} – ${results.finishedAt} on ${results.machine.cores} cores (${results.machine.cpu}), ${results.machine.memoryGiB} GiB, Node ${results.machine.node}.
MongoDB: ${results.mongo.describe}.
Every service is compiled (\`npm run build\`), runs with \`NODE_ENV=production\` and \`LOG_LEVEL=warn\`, and listens on 127.0.0.1.
Load: autocannon, ${results.settings.connections} connections, ${results.settings.warmupSeconds} s warm-up then ${results.settings.durationSeconds} s measured, ${results.settings.rounds} round(s) per gateway,
the order of the gateways reversed every other round. Figures are means over rounds; latencies are exact percentiles of
every response of a run; CPU is each process's user + system time from idle to idle, per request sent.

Dataset: ${counts.landlords} landlords, ${counts.districts} districts, ${counts.buildings.toLocaleString('en')} buildings, ${counts.dwellings.toLocaleString('en')} dwellings,
${counts.requests.toLocaleString('en')} service requests, ${counts.actions.toLocaleString('en')} actions (seeded in ${results.dataset.seedSeconds.bench?.toFixed(1)} s).`);

  sections.push(`## Targets (issue 18)

Measured on our defaults (the gateway "ours"); the third column gives our best lever setting of the run where it differs.

${table(['target', 'measured', 'best setting of ours / note', 'verdict'], targetRows(results))}`);

  sections.push(`## Workloads\n\n${results.workloads.map((workload) => `- **${workload.name}**: ${workload.describe}`).join('\n')}`);
  const different = Object.entries(results.sameDashboardData).filter(([, same]) => !same);
  sections.push(
    `## Gateways of the full stack\n\n${results.variants
      .map((variant) => `- **${variant.name}**${envText(variant.env)}${envText(variant.subgraphEnv, 'subgraphs: ')}: ${variant.describe}`)
      .join('\n')}

Every gateway answers every dashboard of the run with the same data as "${OURS_EVERY_REQUEST}": ${
      different.length === 0 ? 'yes' : `**no**: ${different.map(([name]) => name).join(', ')}`
    }.${
      results.skippedLevers.length
        ? `\n\nLevers not measured in this run: ${results.skippedLevers.map((lever) => `${lever.name} (\`${lever.variable}\`: ${lever.reason})`).join('; ')}.`
        : ''
    }`,
  );

  sections.push(`## Levers, each off against on (same run, same rounds)

${table(
  [
    'lever',
    'switch',
    'workload',
    'req/s off → on',
    'p50 ms',
    'p99 ms',
    'CPU ms/req, all processes',
    'gateway',
    'tenancy',
    'MongoDB',
    'Mongo cmds/req',
  ],
  leverRows(results),
)}`);

  const comparisons = [DASHBOARD_DISTINCT, DASHBOARD_SHARED, MUTATIONS].flatMap((operation) => {
    const ours = summarize(results.runs, operation, OURS_UNCACHED);
    const hive = summarize(results.runs, operation, HIVE);
    if (!ours || !hive) return [];
    return [
      [
        operation,
        ratio(ours.rps, hive.rps),
        ratio(ours.p99, hive.p99),
        ratio(ours.cpu.gateway ?? 0, hive.cpu.gateway ?? 0),
        ratio(ours.cpu.total ?? 0, hive.cpu.total ?? 0),
      ],
    ];
  });
  sections.push(`## Ours against Hive Gateway on the full stack (same run)

Like for like: "${OURS_UNCACHED}" (our defaults but the response cache, which Hive here does not have) against "${HIVE}".

${table(['workload', 'throughput (×)', 'p99 (×, lower is better)', 'gateway CPU per request (×)', 'all processes CPU per request (×)'], comparisons)}`);

  for (const operation of [DASHBOARD_DISTINCT, DASHBOARD_SHARED, MUTATIONS]) {
    if (results.runs.some((run) => run.operation === operation)) sections.push(`## ${operation}\n\n${stackTable(results, operation)}`);
  }

  sections.push(gatewayOnlySection(results));

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

  const scalingLoad = results.scaling.find((entry) => entry.load)?.load;
  sections.push(`## Scaling: the dashboard of one district at 1×, 4×, 16× the default district size

Each size is a database of its own holding one district shared by three landlords; actions stay at the default 100 per
district. Our gateway with every request executed (no deduplication, no response cache), in front of subgraphs with
their defaults and with each subgraph lever on. First: the first dashboard the fresh processes answer, where tenancy
computes the district's disclosed statistics table (as it does again after each change to the district's requests).
Idle: ${results.scaling[0]?.idleRequests ?? 0} requests one after the other, each after an unmeasured one${results.scaling[0]?.warmUpRequests === undefined ? '' : `, once the first and ${results.scaling[0].warmUpRequests} more have run`}. Load: ${scalingLoad?.responses ?? 0} requests over
${scalingLoad?.connections ?? 0} connections.

${table(
  [
    'subgraphs of',
    'size',
    'buildings',
    'dwellings',
    'service requests',
    'MongoDB commands per dashboard',
    'same count on every request',
    'first dashboard ms',
    'idle latency ms (median)',
    'idle: subgraphs waiting on MongoDB, ms',
    'load: req/s',
    'p50 ms',
    'p99 ms',
    'CPU ms/req, all processes',
    'errors',
  ],
  results.scaling.map((entry) => [
    entry.variant,
    `${entry.factor}×`,
    entry.counts.buildings,
    entry.counts.dwellings.toLocaleString('en'),
    entry.counts.requests.toLocaleString('en'),
    entry.mongoCommandsPerRequest,
    entry.commandsStable ? 'yes' : '**no**',
    entry.firstLatencyMs ?? 'not measured',
    entry.idleLatencyMs,
    entry.idleMongoMs,
    ...(entry.load
      ? [
          entry.load.rps,
          entry.load.latencyMs.p50,
          entry.load.latencyMs.p99,
          entry.load.cpuMsPerRequest.total ?? 0,
          entry.load.errors.connection + entry.load.errors.non2xx + entry.load.errors.graphql,
        ]
      : ['not loaded: one dashboard took over 5 s', '', '', '', '']),
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
