import {
  DEFAULT_OPERATION_MANIFEST_PATH,
  DEFAULT_WEB_ROOT,
  GatewayConfigError,
  WEB_PERSISTED_DOCUMENTS_PATH,
  gatewayConfigFromEnv,
  subgraphPolicy,
} from '../config';
import { startDistrictGraph } from './districtGraph';

describe('gatewayConfigFromEnv', () => {
  it('has a default for everything', () => {
    expect(gatewayConfigFromEnv({})).toEqual({
      production: false,
      development: false,
      limits: { maxDepth: 12, maxAliases: 30, maxSelections: 2000, maxCost: 10000 },
      maxBodyBytes: 1048576,
      maxBatchSize: 0,
      subgraphs: {
        policy: { timeoutMs: 10000, retries: 1, retryDelayMs: 50, breakerFailures: 5, breakerCoolDownMs: 10000 },
        timeoutMsBySubgraph: {},
      },
      safelist: { enabled: false, manifestPath: DEFAULT_OPERATION_MANIFEST_PATH },
      performance: {
        queryPlanCacheMiB: 30,
        subgraphHttpClient: 'keep-alive',
        subgraphMaxSockets: 64,
        deduplicateQueries: true,
        mergeEntityFetches: true,
        workers: 1,
        responseCache: { enabled: true, maxMiB: 64, ttlMs: 30000 },
      },
      web: { root: DEFAULT_WEB_ROOT, persistedDocumentsPath: WEB_PERSISTED_DOCUMENTS_PATH, signIn: { mode: 'development' } },
    });
  });

  it('reads every variable', () => {
    const config = gatewayConfigFromEnv({
      NODE_ENV: 'production',
      MAX_QUERY_DEPTH: '8',
      MAX_ALIASES: '0',
      MAX_SELECTIONS: '500',
      MAX_QUERY_COST: '20000',
      MAX_BODY_BYTES: '65536',
      MAX_BATCH_SIZE: '5',
      SUBGRAPH_TIMEOUT_MS: '4000',
      SUBGRAPH_TIMEOUT_MS_HOUSING: '8000',
      SUBGRAPH_RETRIES: '0',
      SUBGRAPH_RETRY_DELAY_MS: '20',
      SUBGRAPH_BREAKER_FAILURES: '3',
      SUBGRAPH_BREAKER_COOLDOWN_MS: '30000',
      OPERATION_SAFELIST: 'on',
      OPERATION_MANIFEST_PATH: '/srv/graph/manifest.json',
      QUERY_PLAN_CACHE_MIB: '0',
      SUBGRAPH_HTTP_CLIENT: 'apollo',
      SUBGRAPH_MAX_SOCKETS: '16',
      DEDUPLICATE_QUERIES: 'off',
      MERGE_ENTITY_FETCHES: 'off',
      GATEWAY_WORKERS: '2',
      RESPONSE_CACHE: 'off',
      RESPONSE_CACHE_MIB: '8',
      RESPONSE_CACHE_TTL_MS: '1000',
      WEB_ROOT: '/srv/web',
      OIDC_ISSUER: 'https://id.bailleurs.example',
      OIDC_CLIENT_ID: 'quartier-commun-web',
    });
    expect(config).toMatchObject({
      web: {
        root: '/srv/web',
        persistedDocumentsPath: WEB_PERSISTED_DOCUMENTS_PATH,
        signIn: { mode: 'oidc', issuer: 'https://id.bailleurs.example', clientId: 'quartier-commun-web', scope: 'openid profile' },
      },
      production: true,
      limits: { maxDepth: 8, maxAliases: 0, maxSelections: 500, maxCost: 20000 },
      maxBodyBytes: 65536,
      maxBatchSize: 5,
      subgraphs: { timeoutMsBySubgraph: { housing: 8000 } },
      safelist: { enabled: true, manifestPath: '/srv/graph/manifest.json' },
      performance: {
        queryPlanCacheMiB: 0,
        subgraphHttpClient: 'apollo',
        subgraphMaxSockets: 16,
        deduplicateQueries: false,
        mergeEntityFetches: false,
        workers: 2,
        responseCache: { enabled: false, maxMiB: 8, ttlMs: 1000 },
      },
    });
    expect(subgraphPolicy(config, 'housing')).toEqual({
      timeoutMs: 8000,
      retries: 0,
      retryDelayMs: 20,
      breakerFailures: 3,
      breakerCoolDownMs: 30000,
    });
    expect(subgraphPolicy(config, 'tenancy').timeoutMs).toBe(4000);
  });

  it('knows development from production', () => {
    expect(gatewayConfigFromEnv({ NODE_ENV: 'development' })).toMatchObject({ development: true, production: false });
    expect(gatewayConfigFromEnv({ NODE_ENV: 'production' })).toMatchObject({ development: false, production: true });
  });

  it('treats empty values as unset, as Docker Compose passes them', () => {
    expect(gatewayConfigFromEnv({ MAX_QUERY_DEPTH: '', OPERATION_SAFELIST: ' ', SUBGRAPH_TIMEOUT_MS_HOUSING: '' })).toEqual(
      gatewayConfigFromEnv({}),
    );
  });

  it.each([
    [{ MAX_QUERY_DEPTH: 'twelve' }, 'MAX_QUERY_DEPTH must be a whole number of at least 1, not "twelve".'],
    [{ MAX_QUERY_DEPTH: '0' }, 'MAX_QUERY_DEPTH must be a whole number of at least 1, not "0".'],
    [{ SUBGRAPH_TIMEOUT_MS_TENANCY: '2.5' }, 'SUBGRAPH_TIMEOUT_MS_TENANCY must be a whole number of at least 1, not "2.5".'],
    [{ OPERATION_SAFELIST: 'yes' }, 'OPERATION_SAFELIST must be "on" or "off", not "yes".'],
    [{ SUBGRAPH_HTTP_CLIENT: 'undici' }, 'SUBGRAPH_HTTP_CLIENT must be one of keep-alive, no-keep-alive, apollo, not "undici".'],
    [{ GATEWAY_WORKERS: '0' }, 'GATEWAY_WORKERS must be a whole number of at least 1, not "0".'],
  ])('refuses an unusable value: %p', (env, message) => {
    expect(() => gatewayConfigFromEnv(env)).toThrow(new GatewayConfigError(message));
  });
});

describe('startGateway', () => {
  it('refuses a time limit for a subgraph the supergraph does not have', async () => {
    await expect(startDistrictGraph({ SUBGRAPH_TIMEOUT_MS_NOTEZ: '300' })).rejects.toThrow(
      new GatewayConfigError('SUBGRAPH_TIMEOUT_MS_NOTEZ names no subgraph of the supergraph (districts, notes).'),
    );
  });
});
