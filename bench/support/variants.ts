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
/** Our defaults but the response cache: the response cache lever's "off" (see `levers`). */
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
    name: HIVE,
    kind: 'hive',
    env: { HIVE_DEDUP: 'on', HIVE_QUERY_PLANNER: 'rust' },
    describe:
      "Hive Gateway with the Hive Router's Rust query planner (@graphql-hive/router-runtime): inbound in-flight dedup (Authorization in the key) + upstream dedup (its default)",
  },
];

/** Which base gateways load which workload: deduplication can only show where identical requests are in flight. */
const BASE_WORKLOAD_VARIANTS: Record<WorkloadName, string[]> = {
  [DASHBOARD_DISTINCT]: [OURS, HIVE],
  [DASHBOARD_SHARED]: [OURS, OURS_EVERY_REQUEST, HIVE],
  [MUTATIONS]: [OURS, HIVE],
};

/**
 * A lever of the dashboard's cost: an environment switch, where it acts (a subgraph switch gets subgraphs of its
 * own), and its value without and with the lever (undefined: unset, i.e. our defaults). Each known lever adds the
 * gateways "ours, <name> off" and "ours, <name> on" to its workloads, measured in the same alternating rounds.
 */
export interface Lever {
  name: string;
  variable: string;
  acts: 'gateway' | 'subgraphs' | 'both';
  off: string | undefined;
  on: string | undefined;
  workloads: readonly WorkloadName[];
  /** Set on the gateway in both states, so that the lever shows at all. */
  gatewayEnv?: Record<string, string>;
}

/** The response cache answers most dashboards from memory, hiding what a subgraph or tracing lever changes: off for them. */
const EVERY_REQUEST_EXECUTED = { RESPONSE_CACHE: 'off' };

/**
 * The levers of issue 18, one line each. Tracing: every service is told the benchmark's OTLP sink (which drops what it
 * receives) and exports nothing (OTEL_TRACES_EXPORTER=none) unless the lever says `otlp`.
 */
export function levers(): Lever[] {
  return [
    { name: 'response cache', variable: 'RESPONSE_CACHE', acts: 'gateway', off: 'off', on: 'on', workloads: WORKLOAD_NAMES },
    {
      name: 'statistics cells',
      variable: 'REQUEST_STATISTICS',
      acts: 'subgraphs',
      off: 'recount',
      on: 'cells',
      workloads: [DASHBOARD_DISTINCT, DASHBOARD_SHARED],
      gatewayEnv: EVERY_REQUEST_EXECUTED,
    },
    {
      name: 'shared statistics tables',
      variable: 'DISCLOSED_TABLES_MAX_CELLS',
      acts: 'subgraphs',
      off: '0',
      on: undefined,
      workloads: [DASHBOARD_DISTINCT, DASHBOARD_SHARED],
      gatewayEnv: EVERY_REQUEST_EXECUTED,
    },
    {
      name: 'tracing',
      variable: 'OTEL_TRACES_EXPORTER',
      acts: 'both',
      off: undefined,
      on: 'otlp',
      workloads: WORKLOAD_NAMES,
      gatewayEnv: EVERY_REQUEST_EXECUTED,
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
  return state === 'off' && lever.off === undefined && !lever.gatewayEnv ? OURS : `ours, ${lever.name} ${state}`;
}

function leverVariant(lever: Lever, state: 'off' | 'on'): GatewayVariant {
  const value = lever[state];
  const env = value === undefined ? {} : { [lever.variable]: value };
  return {
    name: leverVariantName(lever, state),
    kind: 'ours',
    env: { ...lever.gatewayEnv, ...(lever.acts !== 'subgraphs' && env) },
    ...(lever.acts !== 'gateway' && { subgraphEnv: env }),
    describe:
      `our defaults with ${lever.name} ${state} (${lever.variable} on the ${lever.acts === 'both' ? 'gateway and subgraphs' : lever.acts})` +
      (lever.gatewayEnv ? `, and on the gateway ${envText(lever.gatewayEnv)}` : ''),
  };
}

const envText = (env: Record<string, string>) =>
  Object.entries(env)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');

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
