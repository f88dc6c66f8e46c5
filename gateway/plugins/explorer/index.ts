import type { ApolloServerPlugin } from '@apollo/server';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

export interface ExplorerOptions {
  /** Where the page sends its operations, e.g. '/graphql'. */
  endpoint: string;
  /**
   * Outside production, while tokens are signed with the public development secret: a fresh token the page puts
   * in its Authorization header, so that its first screen (the schema it loads) works. Anyone can sign such
   * tokens, so handing one out gives nothing away; with a real secret or an identity provider there is none.
   */
  developmentToken?: () => Promise<string>;
}

const WELCOME_QUERY = `# Quartier Commun: one graph for the landlords who share a district.
#
# Every operation needs a bearer token in the Authorization header (Headers tab, below).
# Get one for any role with
#   npm run -s token -- --role ADMIN
#   npm run -s token -- --role COORDINATOR --district district-grand-mirail
#   npm run -s token -- --role LANDLORD_STAFF --landlord landlord-tmh
# and paste it there: {"Authorization": "Bearer eyJ…"}

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
 * and icon, so it works without internet access. Without a development token it starts with empty headers:
 * never a placeholder that the page would send, and quote back in an error, on its first request.
 */
export function explorerLandingPage({ endpoint, developmentToken }: ExplorerOptions): ApolloServerPlugin {
  const page = (headers: Record<string, string>) =>
    renderGraphiQL({
      title: 'Quartier Commun',
      endpoint,
      defaultQuery: WELCOME_QUERY,
      headers: JSON.stringify(headers, null, 2),
      isHeadersEditorEnabled: true,
      // A development token expires: the page gets a fresh one each time rather than a stored stale one.
      shouldPersistHeaders: developmentToken === undefined,
      defaultEditorToolsVisibility: 'headers',
    });
  return {
    async serverWillStart() {
      const html = developmentToken ? async () => page({ Authorization: `Bearer ${await developmentToken()}` }) : page({});
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}
