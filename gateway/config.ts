import path from 'node:path';
import { ConfigError, nonEmpty, wholeNumber } from '../lib/config/envVariables';
import { sharedLimitsFromEnv } from '../lib/limits';
import type { QueryLimits } from './plugins/limits';
import type { SignInConfig } from './webApp/signIn';
import type { SubgraphPolicy } from './resilience/subgraphGuard';

/** Everything about the gateway's behaviour that a deployment may tune; read once, at start. */
export interface GatewayConfig {
  /** NODE_ENV=production: introspection off, no schema hints in errors. */
  production: boolean;
  /** NODE_ENV=development: an authenticated admin sees internal errors in full, stack traces included (lib/errors). */
  development: boolean;
  limits: QueryLimits;
  /** Larger request bodies are refused with 413. */
  maxBodyBytes: number;
  /** Operations one HTTP request may batch as a JSON array; 0 turns batching off. */
  maxBatchSize: number;
  subgraphs: {
    /** For every subgraph, but for the time limits in `timeoutMsBySubgraph`. */
    policy: SubgraphPolicy;
    /** Time limit by subgraph name (e.g. `housing`). */
    timeoutMsBySubgraph: Record<string, number>;
  };
  safelist: {
    /** Only the published operations (codegen's persisted documents) run (see plugins/persistedOperations). */
    enabled: boolean;
    manifestPath: string;
  };
  performance: PerformanceConfig;
  web: WebAppConfig;
}

/** The web app the gateway serves beside /graphql (see webApp/). */
export interface WebAppConfig {
  /** The production build (`vite build` of web/); nothing is served from it while it is missing. */
  root: string;
  /** The persisted documents of its operations, which it sends by hash alone. */
  persistedDocumentsPath: string;
  signIn: SignInConfig;
}

/** How subgraphs are called: undici over pooled keep-alive connections (the default), a new connection each time, or Apollo's own fetcher. */
export type SubgraphHttpClient = 'keep-alive' | 'no-keep-alive' | 'apollo';

export const SUBGRAPH_HTTP_CLIENTS: readonly SubgraphHttpClient[] = ['keep-alive', 'no-keep-alive', 'apollo'];

export interface PerformanceConfig {
  /** Approximate size of the query plan cache; 0 plans every operation afresh. */
  queryPlanCacheMiB: number;
  subgraphHttpClient: SubgraphHttpClient;
  /** Connections the gateway keeps open to each subgraph, at most. */
  subgraphMaxSockets: number;
  /** Identical queries in flight (same document, variables and Authorization) share one execution. */
  deduplicateQueries: boolean;
  /** MERGE_ENTITY_FETCHES: the entity fetches of one request to one subgraph, side by side in its plan, go as one call. */
  mergeEntityFetches: boolean;
  /** Gateway processes sharing the port (node:cluster); 1 serves from the process itself. */
  workers: number;
  responseCache: ResponseCacheConfig;
}

/** The response cache for queries (plugins/responseCache): on by default, see the README. */
export interface ResponseCacheConfig {
  enabled: boolean;
  maxMiB: number;
  /** The longest an answer is served from the cache. */
  ttlMs: number;
}

/** A gateway setting that cannot be used; the message names the variable. */
export class GatewayConfigError extends ConfigError {
  override readonly name = 'GatewayConfigError';
}

export const DEFAULT_WEB_ROOT = path.resolve(__dirname, '../web/dist');

/** The web app's operations, as codegen's persisted documents (web/src/operations): known by hash beside the published ones. */
export const WEB_PERSISTED_DOCUMENTS_PATH = path.resolve(__dirname, '../web/src/gql/persisted-documents.json');

export const DEFAULT_OPERATION_MANIFEST_PATH = path.resolve(__dirname, '../client/generated/persisted-documents.json');

/**
 * The estimated-cost budget (MAX_QUERY_COST): six times the costliest operation the graph publishes (the partner
 * search over every partner, 1,550; the district dashboard at 100 buildings, 1,470; test/security/demandControl
 * checks every one), and just under a page of 100 items each with a nested page of 100 (10,201): full pages nest
 * one level, not two. The attacker's four nested pages of 100 cost about 10⁸.
 */
export const DEFAULT_MAX_QUERY_COST = 10_000;

const SUBGRAPH_TIMEOUT_PREFIX = 'SUBGRAPH_TIMEOUT_MS_';

/**
 * Reads the gateway's settings (see the README's table) with their defaults; throws a ConfigError on a value
 * that is not usable rather than running with a surprise.
 */
export function gatewayConfigFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const read = (name: string, fallback: number, minimum: number) => wholeNumber(env, name, fallback, minimum);
  const shared = sharedLimitsFromEnv(env);
  const timeoutMs = read('SUBGRAPH_TIMEOUT_MS', 10_000, 1);
  const timeoutMsBySubgraph = Object.fromEntries(
    Object.keys(env)
      .filter((name) => name.startsWith(SUBGRAPH_TIMEOUT_PREFIX) && nonEmpty(env[name]) !== undefined)
      .map((name) => [name.slice(SUBGRAPH_TIMEOUT_PREFIX.length).toLowerCase(), read(name, timeoutMs, 1)]),
  );
  return {
    production: env.NODE_ENV === 'production',
    development: env.NODE_ENV === 'development',
    limits: {
      maxDepth: shared.maxDepth,
      maxAliases: shared.maxAliases,
      maxSelections: read('MAX_SELECTIONS', 2_000, 1),
      maxCost: read('MAX_QUERY_COST', DEFAULT_MAX_QUERY_COST, 1),
    },
    maxBodyBytes: shared.maxBodyBytes,
    maxBatchSize: read('MAX_BATCH_SIZE', 0, 0),
    subgraphs: {
      policy: {
        timeoutMs,
        retries: read('SUBGRAPH_RETRIES', 1, 0),
        retryDelayMs: read('SUBGRAPH_RETRY_DELAY_MS', 50, 0),
        breakerFailures: read('SUBGRAPH_BREAKER_FAILURES', 5, 1),
        breakerCoolDownMs: read('SUBGRAPH_BREAKER_COOLDOWN_MS', 10_000, 0),
      },
      timeoutMsBySubgraph,
    },
    safelist: {
      enabled: onOff(env, 'OPERATION_SAFELIST', false),
      manifestPath: path.resolve(nonEmpty(env.OPERATION_MANIFEST_PATH) ?? DEFAULT_OPERATION_MANIFEST_PATH),
    },
    performance: {
      queryPlanCacheMiB: read('QUERY_PLAN_CACHE_MIB', 30, 0),
      subgraphHttpClient: oneOf(env, 'SUBGRAPH_HTTP_CLIENT', SUBGRAPH_HTTP_CLIENTS, 'keep-alive'),
      subgraphMaxSockets: read('SUBGRAPH_MAX_SOCKETS', 64, 1),
      deduplicateQueries: onOff(env, 'DEDUPLICATE_QUERIES', true),
      mergeEntityFetches: onOff(env, 'MERGE_ENTITY_FETCHES', true),
      workers: read('GATEWAY_WORKERS', 1, 1),
      responseCache: {
        enabled: onOff(env, 'RESPONSE_CACHE', true),
        maxMiB: read('RESPONSE_CACHE_MIB', 64, 1),
        ttlMs: read('RESPONSE_CACHE_TTL_MS', 30_000, 1),
      },
    },
    web: {
      root: nonEmpty(env.WEB_ROOT) ? path.resolve(env.WEB_ROOT as string) : DEFAULT_WEB_ROOT,
      persistedDocumentsPath: WEB_PERSISTED_DOCUMENTS_PATH,
      signIn: signInConfig(env),
    },
  };
}

/**
 * OpenID Connect when OIDC_ISSUER is set (with OIDC_CLIENT_ID, the web app's public client); otherwise the
 * development sign-in page outside production, and no sign-in at all in production.
 */
function signInConfig(env: NodeJS.ProcessEnv): SignInConfig {
  const issuer = nonEmpty(env.OIDC_ISSUER);
  const clientId = nonEmpty(env.OIDC_CLIENT_ID);
  if (issuer !== undefined || clientId !== undefined) {
    if (issuer === undefined || clientId === undefined)
      throw new GatewayConfigError('Set both OIDC_ISSUER and OIDC_CLIENT_ID, or neither.');
    return { mode: 'oidc', issuer, clientId, scope: nonEmpty(env.OIDC_SCOPE) ?? 'openid profile' };
  }
  return env.NODE_ENV === 'production' ? { mode: 'none' } : { mode: 'development' };
}

/** The policy for one subgraph: the common one with its own time limit, if it has one. */
export function subgraphPolicy(config: GatewayConfig, subgraph: string): SubgraphPolicy {
  const timeoutMs = config.subgraphs.timeoutMsBySubgraph[subgraph.toLowerCase()];
  return timeoutMs === undefined ? config.subgraphs.policy : { ...config.subgraphs.policy, timeoutMs };
}

function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = nonEmpty(env[name])?.toLowerCase();
  if (value === undefined) return fallback;
  if (['on', 'true', '1'].includes(value)) return true;
  if (['off', 'false', '0'].includes(value)) return false;
  throw new GatewayConfigError(`${name} must be "on" or "off", not "${env[name]}".`);
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T): T {
  const value = nonEmpty(env[name]);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new GatewayConfigError(`${name} must be one of ${allowed.join(', ')}, not "${value}".`);
  }
  return value as T;
}
