import { authConfigFromEnv } from '../../lib/auth/config';
import { signToken } from '../../lib/auth/sign';
import type { RunningService } from '../../lib/http/serveGraphQL';
import { startGateway } from '../startGateway';
import { startHeaderEchoSubgraph, type HeaderEchoSubgraph } from './headerEchoSubgraph';

export interface GatewayUnderTest {
  gateway: RunningService;
  subgraph: HeaderEchoSubgraph;
  /** A valid token for an administrator. */
  token(): Promise<string>;
  close(): Promise<void>;
}

/** The gateway in front of the header-echo subgraph, with the development signing secret. */
export async function startGatewayUnderTest(): Promise<GatewayUnderTest> {
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  const auth = authConfigFromEnv({ NODE_ENV: 'test' });
  const subgraph = await startHeaderEchoSubgraph();
  const gateway = await startGateway({
    port: 0,
    host: '127.0.0.1',
    supergraphSdl: subgraph.supergraphSdl,
    subgraphUrls: { echo: subgraph.service.url },
    auth,
  });
  return {
    gateway,
    subgraph,
    token: () => signToken({ role: 'ADMIN', sub: 'gateway-test' }, auth, { expiresIn: '5m' }),
    async close() {
      await gateway.close();
      await subgraph.service.close();
    },
  };
}
