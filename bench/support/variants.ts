import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { GatewayVariant } from './services';

/** The workloads of the full-stack part, by name. */
export const DASHBOARD_DISTINCT = 'dashboard, 20 districts';
export const DASHBOARD_SHARED = 'dashboard, 5 districts';
export const MUTATIONS = 'mutations';
export const WORKLOAD_NAMES = [DASHBOARD_DISTINCT, DASHBOARD_SHARED, MUTATIONS] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

export const OURS = 'ours';
export const OURS_EVERY_REQUEST = 'ours, every request executed';
export const HIVE = 'Hive (dedup on)';
/** Our defaults but the response cache: the response cache lever's "off", and the other levers' baseline. */
export const OURS_UNCACHED = 'ours, response cache off';

/** The gateways every full-stack workload compares, before any lever. */
const BASE_VARIANTS: GatewayVariant[] = [
  { name: OURS, kind: 'ours', env: {}, describe: 'our defaults (whatever main sets)' },
  {
    name: OURS_EVERY_REQUEST,
    kind: 'ours',
    // RESPONSE_CACHE=off is ignored by a gateway without a response cache.
    env: { DEDUPLICATE_QUERIES: 'off', RESPONSE_CACHE: 'off' },
    describe: 'our defaults with every request executed: no in-flight deduplication, no response cache',
  },
  {
    name: OURS_UNCACHED,
    kind: 'ours',
    env: { RESPONSE_CACHE: 'off' },
    describe: 'our defaults with the response cache off: every dashboard executed, as Hive here does, and as the other levers need to show',
  },
  {
    name: HIVE,
    kind: 'hive',
    env: { HIVE_DEDUP: 'on', HIVE_QUERY_PLANNER: 'rust' },
    describe:
      "Hive Gateway with the Hive Router's Rust query planner (@graphql-hive/router-runtime): inbound in-flight dedup (Authorization in the key) + upstream dedup (its default)",
  },
];

/** Which base gateways load which workload: deduplication can only show where identical requests are in flight. */
const BASE_WORKLOAD_VARIANTS: Record<WorkloadName, string[]> = {
  [DASHBOARD_DISTINCT]: [OURS, OURS_UNCACHED, HIVE],
  [DASHBOARD_SHARED]: [OURS, OURS_UNCACHED, OURS_EVERY_REQUEST, HIVE],
  [MUTATIONS]: [OURS, OURS_UNCACHED, HIVE],
};

/**
 * A lever of the dashboard's cost: an environment switch, where it acts (a subgraph switch gets subgraphs of its
 * own), its value without and with the lever, and the base gateway whose settings it changes. A state whose value is
 * undefined (unset: our default) is that base gateway itself, measured once whatever the levers; any other state adds
 * the gateway "ours, <name> <state>" to the lever's workloads, measured in the same alternating rounds.
 */
export interface Lever {
  name: string;
  variable: string;
  acts: 'gateway' | 'subgraphs' | 'both';
  off: string | undefined;
  on: string | undefined;
  workloads: readonly WorkloadName[];
  /** OURS_UNCACHED where the response cache, answering most dashboards from memory, would hide what the lever changes. */
  baseline: typeof OURS | typeof OURS_UNCACHED;
}

/**
 * The levers of issue 18, one line each. Tracing: every service is told the benchmark's OTLP sink (which drops what it
 * receives) and exports nothing (OTEL_TRACES_EXPORTER=none) unless the lever says `otlp`.
 */
export function levers(): Lever[] {
  const subgraphDashboards = [DASHBOARD_DISTINCT, DASHBOARD_SHARED] as const;
  return [
    {
      name: 'response cache',
      variable: 'RESPONSE_CACHE',
      acts: 'gateway',
      off: 'off',
      on: undefined,
      workloads: WORKLOAD_NAMES,
      baseline: OURS,
    },
    {
      name: 'statistics cells',
      variable: 'REQUEST_STATISTICS',
      acts: 'subgraphs',
      off: 'recount',
      on: undefined,
      workloads: subgraphDashboards,
      baseline: OURS_UNCACHED,
    },
    {
      name: 'shared statistics tables',
      variable: 'DISCLOSED_TABLES_MAX_CELLS',
      acts: 'subgraphs',
      off: '0',
      on: undefined,
      workloads: subgraphDashboards,
      baseline: OURS_UNCACHED,
    },
    {
      name: 'entity fetch merging',
      variable: 'MERGE_ENTITY_FETCHES',
      acts: 'gateway',
      off: 'off',
      on: undefined,
      workloads: subgraphDashboards,
      baseline: OURS_UNCACHED,
    },
    {
      name: 'tracing',
      variable: 'OTEL_TRACES_EXPORTER',
      acts: 'both',
      off: undefined,
      on: 'otlp',
      workloads: WORKLOAD_NAMES,
      baseline: OURS_UNCACHED,
    },
  ];
}

/**
 * A switch the project does not know yet (the README, which documents every configuration variable, does not name
 * it) would measure the same gateway twice under two names: such a lever is skipped, and the report says so.
 */
export function switchKnown(root: string, variable: string): boolean {
  return readFileSync(path.join(root, 'README.md'), 'utf8').includes(variable);
}

export function leverVariantName(lever: Lever, state: 'off' | 'on'): string {
  return lever[state] === undefined ? lever.baseline : `ours, ${lever.name} ${state}`;
}

function leverVariant(lever: Lever, state: 'off' | 'on'): GatewayVariant {
  const baseline = BASE_VARIANTS.find((variant) => variant.name === lever.baseline)!;
  const value = lever[state];
  if (value === undefined) return baseline;
  const setting = { [lever.variable]: value };
  return {
    name: leverVariantName(lever, state),
    kind: 'ours',
    env: { ...baseline.env, ...(lever.acts !== 'subgraphs' && setting) },
    ...(lever.acts !== 'gateway' && { subgraphEnv: setting }),
    describe: `${baseline.name}, with ${lever.variable}=${value} on the ${lever.acts === 'both' ? 'gateway and subgraphs' : lever.acts}`,
  };
}

export interface VariantPlan {
  variants: GatewayVariant[];
  /** Which gateways load which workload, in the order of a round. */
  byWorkload: Record<WorkloadName, string[]>;
  /** The levers measured, and those skipped with why. */
  measuredLevers: Lever[];
  skippedLevers: { lever: Lever; reason: string }[];
}

/** Every gateway of the full-stack part: the base ones and both states of every known lever. */
export function planVariants(root: string, allLevers: readonly Lever[]): VariantPlan {
  const variants = [...BASE_VARIANTS];
  const byWorkload = Object.fromEntries(
    WORKLOAD_NAMES.map((name) => [name, [...BASE_WORKLOAD_VARIANTS[name]]]),
  ) as VariantPlan['byWorkload'];
  const measuredLevers: Lever[] = [];
  const skippedLevers: VariantPlan['skippedLevers'] = [];
  for (const lever of allLevers) {
    if (!switchKnown(root, lever.variable)) {
      skippedLevers.push({ lever, reason: `${lever.variable} is not a configuration variable of this version (README)` });
      continue;
    }
    measuredLevers.push(lever);
    for (const state of ['off', 'on'] as const) {
      const variant = leverVariant(lever, state);
      if (!variants.some((known) => known.name === variant.name)) variants.push(variant);
      for (const workload of lever.workloads) if (!byWorkload[workload].includes(variant.name)) byWorkload[workload].push(variant.name);
    }
  }
  return { variants, byWorkload, measuredLevers, skippedLevers };
}
