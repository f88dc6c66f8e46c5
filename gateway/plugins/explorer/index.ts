import type { ApolloServerPlugin } from '@apollo/server';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

export interface ExplorerOptions {
  /** Where the page sends its operations, e.g. '/graphql'. */
  endpoint: string;
}

const WELCOME_QUERY = `# Quartier Commun: one graph for the landlords who share a district.
#
# Every operation needs a token. Get one with
#   npm run token -- --role ADMIN
# and paste it into the Authorization header (Headers tab, below).

query Districts {
  districts {
    id
    name
    landlords {
      id
      name
    }
  }
}
`;

/**
 * GraphiQL as the landing page browsers get on GET. The page inlines its scripts, styles, editor workers
 * and icon, so it works without internet access; it is rendered once, at start.
 */
export function explorerLandingPage({ endpoint }: ExplorerOptions): ApolloServerPlugin {
  return {
    async serverWillStart() {
      const html = renderGraphiQL({
        title: 'Quartier Commun',
        endpoint,
        defaultQuery: WELCOME_QUERY,
        headers: JSON.stringify({ Authorization: 'Bearer <token>' }, null, 2),
        isHeadersEditorEnabled: true,
        shouldPersistHeaders: true,
        defaultEditorToolsVisibility: 'headers',
      });
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}
