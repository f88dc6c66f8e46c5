import { probeDependency, type DependencyState, type ReadinessCheck } from '../lib/http/health';

/**
 * How one subgraph answered the gateway's readiness probe: `database-unavailable` when it answered but its
 * database does not, else whether it answered at all.
 */
export type SubgraphReadiness = DependencyState | 'database-unavailable' | 'not-ready';

// Above the subgraph's own database probe limit (2 s), so that a database that hangs reads as such.
const SUBGRAPH_PROBE_TIMEOUT_MS = 3_000;

/**
 * The gateway can serve every field while every subgraph is ready (each is ready while its database answers):
 * probes each one's `GET /health/ready`, in parallel, and says which are not, e.g.
 * `{ subgraphs: { housing: 'ok', tenancy: 'timeout', … } }`. `endpoints` gives the subgraphs' GraphQL URLs by name;
 * their health is served at the same origin.
 */
export function subgraphsReadiness(endpoints: () => ReadonlyMap<string, string>): ReadinessCheck {
  return async () => {
    const states = await Promise.all(
      [...endpoints()].map(async ([name, url]) => [name, await probeSubgraph(new URL('/health/ready', url))] as const),
    );
    return {
      ready: states.length > 0 && states.every(([, state]) => state === 'ok'),
      details: { subgraphs: Object.fromEntries(states) },
    };
  };
}

async function probeSubgraph(healthUrl: URL): Promise<SubgraphReadiness> {
  let answer: { ready: boolean; mongo?: unknown } | undefined;
  const reached = await probeDependency(async (signal) => {
    const response = await fetch(healthUrl, { signal });
    const body = (await response.json().catch(() => ({}))) as { mongo?: unknown };
    answer = { ready: response.ok, mongo: body.mongo };
  }, SUBGRAPH_PROBE_TIMEOUT_MS);
  if (reached !== 'ok' || answer === undefined) return reached;
  if (answer.ready) return 'ok';
  return answer.mongo !== undefined && answer.mongo !== 'ok' ? 'database-unavailable' : 'not-ready';
}
