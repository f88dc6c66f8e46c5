import path from 'node:path';
import { SERVICE_NODE_FLAGS } from '../../lib/http/serviceProcess';
import { SUBGRAPH_NAMES, type SubgraphName, subgraphUrlEnv } from '../../lib/subgraphs';
import { type Child, freePort, startChild, stopChild, waitUntilHealthy } from './processes';

/**
 * The environment every service of the benchmark shares: production, quiet logs, the token secret, the secret
 * both gateways sign their subgraph calls with, and tracing off unless a variant turns it on.
 */
export function serviceEnv(jwtSecret: string, subgraphSigningSecret: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    JWT_SECRET: jwtSecret,
    SUBGRAPH_SIGNING_SECRET: subgraphSigningSecret,
    APOLLO_TELEMETRY_DISABLED: '1',
    OTEL_TRACES_EXPORTER: 'none',
  };
}

export interface Subgraphs {
  children: Child[];
  urls: Record<SubgraphName, string>;
  healthUrls: string[];
}

export type SubgraphPorts = Record<SubgraphName, number>;

export async function subgraphPorts(): Promise<SubgraphPorts> {
  const ports: Partial<SubgraphPorts> = {};
  for (const name of SUBGRAPH_NAMES) ports[name] = await freePort();
  return ports as SubgraphPorts;
}

/** The four subgraphs, compiled, one process each, on `mongoUri` with command counting on. */
export async function startSubgraphs(options: {
  root: string;
  logDir: string;
  env: NodeJS.ProcessEnv;
  mongoUri: string;
  ports: SubgraphPorts;
  label: string;
  /** Switches of the subgraphs (a lever's), on top of the shared environment. */
  extraEnv?: Record<string, string>;
}): Promise<Subgraphs> {
  const children = SUBGRAPH_NAMES.map((name) =>
    startChild(
      `${options.label}-${name}`,
      process.execPath,
      [...SERVICE_NODE_FLAGS, path.join(options.root, `dist/subgraphs/${name}/index.js`)],
      {
        cwd: options.root,
        logDir: options.logDir,
        env: {
          ...options.env,
          PORT: String(options.ports[name]),
          HOST: '127.0.0.1',
          MONGODB_URI: options.mongoUri,
          MONGO_COMMAND_COUNTING: '1',
          ...options.extraEnv,
        },
      },
    ),
  );
  const healthUrls = SUBGRAPH_NAMES.map((name) => `http://127.0.0.1:${options.ports[name]}/health`);
  await Promise.all(children.map((child, index) => waitUntilHealthy(child, healthUrls[index]!)));
  const urls = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [name, `http://127.0.0.1:${options.ports[name]}/graphql`]),
  ) as Subgraphs['urls'];
  return { children, urls, healthUrls };
}

export async function stopSubgraphs(subgraphs: Subgraphs): Promise<void> {
  await Promise.all(subgraphs.children.map((child) => stopChild(child)));
}

/** A gateway under test: ours with some settings, Hive Gateway, or stock Apollo Gateway. */
export interface GatewayVariant {
  name: string;
  kind: 'ours' | 'hive' | 'apollo';
  /** What differs from the gateway's defaults, in the variables that set it. */
  env: Record<string, string>;
  /** What differs from the subgraphs' defaults: such a gateway gets a set of four subgraphs of its own. */
  subgraphEnv?: Record<string, string>;
  describe: string;
}

export interface RunningGateway {
  variant: GatewayVariant;
  child: Child;
  url: string;
}

/**
 * How each kind of gateway starts and says it is ready. Ours runs from the production build; Hive Gateway and stock
 * Apollo Gateway, benchmark tools outside that build, through tsx.
 */
const GATEWAY_KINDS: Record<GatewayVariant['kind'], { entry: string[]; health: string; healthHeaders?: Record<string, string> }> = {
  ours: { entry: ['dist/gateway/main.js'], health: '/health' },
  hive: { entry: ['--import', 'tsx', 'bench/hiveGateway.ts'], health: '/healthcheck' },
  // Apollo Server's CSRF prevention wants a preflight header on a GET.
  apollo: {
    entry: ['--import', 'tsx', 'bench/support/apolloGateway.ts'],
    health: '/graphql?query=%7B__typename%7D',
    healthHeaders: { 'apollo-require-preflight': '1' },
  },
};

export async function startGateway(
  variant: GatewayVariant,
  options: {
    root: string;
    logDir: string;
    env: NodeJS.ProcessEnv;
    subgraphUrls: Subgraphs['urls'];
    /** Node flags beyond our services' (`--cpu-prof`, which NODE_OPTIONS refuses). */
    nodeFlags?: readonly string[];
  },
): Promise<RunningGateway> {
  const port = await freePort();
  const kind = GATEWAY_KINDS[variant.kind];
  const child = startChild(
    `gateway-${variant.name.replace(/[^a-z0-9]+/gi, '-')}`,
    process.execPath,
    // Every kind with our services' Node flags: the gateways compared run alike.
    [
      ...SERVICE_NODE_FLAGS,
      ...(options.nodeFlags ?? []),
      ...kind.entry.map((part) => (part.includes('/') ? path.join(options.root, part) : part)),
    ],
    {
      cwd: options.root,
      logDir: options.logDir,
      env: {
        ...options.env,
        ...subgraphUrlEnv(options.subgraphUrls),
        PORT: String(port),
        HOST: '127.0.0.1',
        SUPERGRAPH_PATH: path.join(options.root, 'dist/schema/supergraph.graphql'),
        ...variant.env,
      },
    },
  );
  await waitUntilHealthy(child, `http://127.0.0.1:${port}${kind.health}`, undefined, kind.healthHeaders);
  return { variant, child, url: `http://127.0.0.1:${port}/graphql` };
}
