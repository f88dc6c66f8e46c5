/** A started HTTP service (a subgraph or the gateway), as the launcher and the tests hold it. */
export interface RunningService {
  name: string;
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4001/graphql */
  url: string;
  port: number;
  close(): Promise<void>;
}
