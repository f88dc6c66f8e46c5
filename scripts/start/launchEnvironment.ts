import { randomBytes } from 'node:crypto';

/** The subgraphs serve the gateway alone, on the same machine: loopback only, whatever HOST asks for the gateway. */
export const SUBGRAPH_HOST = '127.0.0.1';

/** What `npm start` hands its children, on top of its own environment. */
export interface LaunchEnvironment {
  /** Where a subgraph on `port` is reached (the address it listens on, not `localhost`, which may mean IPv6). */
  subgraphOrigin(port: number): string;
  subgraph(variables: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  gateway(variables: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
}

/**
 * The children's environments for one launch: the subgraphs listen on loopback, and they and the gateway share a
 * request-signing secret made for this launch (the gateway signs every subgraph call, the subgraphs refuse
 * anything unsigned), so that nothing outside this launch can call a subgraph.
 */
export function launchEnvironment(env: NodeJS.ProcessEnv): LaunchEnvironment {
  const signingSecret = randomBytes(32).toString('base64url');
  return {
    subgraphOrigin: (port) => `http://${SUBGRAPH_HOST}:${port}`,
    subgraph: (variables) => ({ ...env, ...variables, HOST: SUBGRAPH_HOST, SUBGRAPH_SIGNING_SECRET: signingSecret }),
    gateway: (variables) => ({ ...env, ...variables, SUBGRAPH_SIGNING_SECRET: signingSecret }),
  };
}
