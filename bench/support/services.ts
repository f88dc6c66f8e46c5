import path from 'node:path';
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
}): Promise<Subgraphs> {
  const children = SUBGRAPH_NAMES.map((name) =>
    startChild(`${options.label}-${name}`, process.execPath, [path.join(options.root, `dist/subgraphs/${name}/index.js`)], {
      cwd: options.root,
      logDir: options.logDir,
      env: {
        ...options.env,
        PORT: String(options.ports[name]),
        HOST: '127.0.0.1',
        MONGODB_URI: options.mongoUri,
        MONGO_COMMAND_COUNTING: '1',
      },
    }),
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

/** A gateway under test: ours with some settings, or Hive Gateway. */
export interface GatewayVariant {
  name: string;
  kind: 'ours' | 'hive';
  /** What differs from the defaults, in the variables that set it. */
  env: Record<string, string>;
  describe: string;
  /** `mingo`: in front of subgraphs whose embedded MongoDB evaluates with mingo alone (`--evaluation mingo`). */
  backend?: 'mingo';
}

export interface RunningGateway {
  variant: GatewayVariant;
  child: Child;
  url: string;
}

export async function startGateway(
  variant: GatewayVariant,
  options: { root: string; logDir: string; env: NodeJS.ProcessEnv; subgraphUrls: Subgraphs['urls'] },
): Promise<RunningGateway> {
  const port = await freePort();
  const urls = subgraphUrlEnv(options.subgraphUrls);
  // Ours runs from the production build; Hive Gateway, a benchmark tool outside that build, through tsx.
  const entry = variant.kind === 'ours' ? ['dist/gateway/main.js'] : ['--import', 'tsx', 'bench/hiveGateway.ts'];
  const child = startChild(
    `gateway-${variant.name.replace(/[^a-z0-9]+/gi, '-')}`,
    process.execPath,
    entry.map((part) => (part.includes('/') ? path.join(options.root, part) : part)),
    {
      cwd: options.root,
      logDir: options.logDir,
      env: {
        ...options.env,
        ...urls,
        PORT: String(port),
        HOST: '127.0.0.1',
        SUPERGRAPH_PATH: path.join(options.root, 'dist/schema/supergraph.graphql'),
        ...variant.env,
      },
    },
  );
  await waitUntilHealthy(child, `http://127.0.0.1:${port}/${variant.kind === 'ours' ? 'health' : 'healthcheck'}`);
  return { variant, child, url: `http://127.0.0.1:${port}/graphql` };
}
