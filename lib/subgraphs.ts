/**
 * The subgraphs of the graph, once: their names, the ports `npm start` gives them, and the variables that set
 * those ports and tell the gateway where each subgraph is. `npm start`, composition, the gateway, the
 * benchmark and the tests all read this list; `docker-compose.yml` is checked against it by a test.
 */
export const SUBGRAPHS = [
  { name: 'housing', defaultPort: 4001, portVariable: 'HOUSING_PORT', urlVariable: 'HOUSING_URL' },
  { name: 'tenancy', defaultPort: 4002, portVariable: 'TENANCY_PORT', urlVariable: 'TENANCY_URL' },
  { name: 'actions', defaultPort: 4003, portVariable: 'ACTIONS_PORT', urlVariable: 'ACTIONS_URL' },
  { name: 'partners', defaultPort: 4004, portVariable: 'PARTNERS_PORT', urlVariable: 'PARTNERS_URL' },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

export const SUBGRAPH_NAMES: readonly SubgraphName[] = SUBGRAPHS.map((subgraph) => subgraph.name);

/** The entry of one subgraph. */
export function subgraphEntry(name: SubgraphName): (typeof SUBGRAPHS)[number] {
  return SUBGRAPHS.find((subgraph) => subgraph.name === name)!;
}

/** Where a subgraph listens on this machine: `http://localhost:<port>/graphql`. */
export function localSubgraphUrl(port: number): string {
  return `http://localhost:${port}/graphql`;
}

/** The subgraph URLs the environment sets (`HOUSING_URL`…), by subgraph name; unset ones are left out. */
export function subgraphUrlsFromEnv(env: NodeJS.ProcessEnv): Partial<Record<SubgraphName, string>> {
  return Object.fromEntries(
    SUBGRAPHS.flatMap(({ name, urlVariable }) => (env[urlVariable]?.trim() ? [[name, env[urlVariable].trim()]] : [])),
  );
}

/** The environment that points a gateway at these subgraph URLs (`HOUSING_URL=…`). */
export function subgraphUrlEnv(urls: Record<SubgraphName, string>): Record<string, string> {
  return Object.fromEntries(SUBGRAPHS.map(({ name, urlVariable }) => [urlVariable, urls[name]]));
}
