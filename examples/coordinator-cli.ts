/**
 * A district coordinator's dashboard in the terminal: the path a front-end team follows, using only the
 * generated typed client (client/generated) and a bearer token.
 *
 *   QC_TOKEN=$(npm run -s token -- --role COORDINATOR --district district-grand-mirail) \
 *     npm run example:dashboard -- district-grand-mirail
 *
 * It calls QC_GRAPHQL_URL, by default the gateway `npm start` runs: http://localhost:$PORT/graphql (PORT 4000).
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { type Disclosure, DistrictDashboardDocument, type DistrictDashboardQuery } from '../client/generated/graphql';

interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string };
}

/** A GraphQL answer may be partial: data for what could be served, and an error on each field that could not. */
interface Answer<TResult> {
  data: TResult | null;
  errors: GraphQLErrorBody[];
}

async function execute<TResult, TVariables>(
  url: string,
  token: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
): Promise<Answer<TResult>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: print(document), variables }),
  }).catch((error: unknown) => {
    // fetch rejects with a TypeError whose cause names the network failure (ECONNREFUSED…).
    const reason = error instanceof Error ? ((error.cause as { code?: string } | undefined)?.code ?? error.message) : String(error);
    throw new Error(
      `Cannot reach the graph at ${url} (${reason}). Is it running? Start it with \`npm start\`; ` +
        'if it listens elsewhere, set PORT (as for npm start) or QC_GRAPHQL_URL.',
    );
  });
  if (!/json/.test(response.headers.get('content-type') ?? '')) {
    throw new Error(`${url} answered HTTP ${response.status} without a GraphQL response: is QC_GRAPHQL_URL (or PORT) the gateway's?`);
  }
  const body = (await response.json()) as { data?: TResult | null; errors?: GraphQLErrorBody[] };
  return { data: body.data ?? null, errors: body.errors ?? [] };
}

function describeErrors(errors: GraphQLErrorBody[]): string {
  return errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('\n');
}

/**
 * Why a field is null: the code of the error at its path (e.g. SUBGRAPH_TIMEOUT while the tenancy service is
 * slow, SUBGRAPH_UNAVAILABLE while it is down, FORBIDDEN). A client shows the rest and says what is missing.
 */
function missing(errors: GraphQLErrorBody[], path: (string | number)[]): string {
  const error = errors.find((candidate) => path.every((key, index) => candidate.path?.[index] === key));
  return `unavailable (${error?.extensions?.code ?? 'no data'})`;
}

function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? 'n/a' : `${Math.round(rate * 100)} %`;
}

/** A shared figure, or why it is withheld (the small-cells rule: see Disclosure in the schema). */
function figure(value: number | null | undefined, disclosure: Disclosure): string {
  if (value !== null && value !== undefined) return String(value);
  return disclosure === 'WITHHELD_COMPLEMENTARY' ? 'withheld (would reveal a small cell)' : 'withheld (small cell)';
}

function render(district: NonNullable<DistrictDashboardQuery['district']>, errors: GraphQLErrorBody[]): string {
  const { requestStats, actions, partners } = district;
  const lines = [
    `${district.name} (${district.qpvCode ?? district.legacyQpvCode ?? 'no QPV code'})`,
    `Stock: ${district.stock.dwellings} dwellings in ${district.stock.buildings} buildings`,
    ...district.stock.byLandlord.map((entry) => `  ${entry.landlord.name}: ${entry.buildings} buildings, ${entry.dwellings} dwellings`),
    ...(requestStats
      ? [
          `Requests: ${figure(requestStats.total, requestStats.disclosure)} (${figure(requestStats.open, requestStats.disclosure)} open), acknowledged within 48 h: ${percent(
            requestStats.acknowledgedWithin48hRate,
          )}, median resolution: ${requestStats.medianResolutionHours?.toFixed(1) ?? 'n/a'} h`,
          ...requestStats.byCategory.map((entry) => `  ${entry.category}: ${figure(entry.count, entry.disclosure)}`),
        ]
      : [`Requests: ${missing(errors, ['district', 'requestStats'])}`]),
    actions ? `Actions:` : `Actions: ${missing(errors, ['district', 'actions'])}`,
    ...(actions ?? []).map((action, index) => {
      const withPartners = action.partners
        ? action.partners.length
          ? ` with ${action.partners.map((partner) => partner.name).join(', ')}`
          : ''
        : `, partners ${missing(errors, ['district', 'actions', index, 'partners'])}`;
      const organisers = action.organisers.map((organiser) => organiser.name).join(', ');
      return `  [${action.status}] ${action.title} (${action.kind}${action.tfpbAxis ? `, TFPB ${action.tfpbAxis}` : ''}) by ${organisers}${withPartners}`;
    }),
    `Partners: ${
      partners
        ? partners.map((partner) => `${partner.name}${partner.cnlrqLabel ? ' (CNLRQ)' : ''}`).join(', ')
        : missing(errors, ['district', 'partners'])
    }`,
  ];
  return lines.join('\n');
}

/** QC_GRAPHQL_URL, else the gateway `npm start` runs on PORT (4000 by default). */
function graphUrl(env: NodeJS.ProcessEnv): string {
  return env.QC_GRAPHQL_URL?.trim() || `http://localhost:${env.PORT?.trim() || 4000}/graphql`;
}

async function main(): Promise<void> {
  const districtId = process.argv[2];
  const token = process.env.QC_TOKEN;
  const url = graphUrl(process.env);
  if (!districtId || !token) {
    console.error(
      'Usage: QC_TOKEN=$(npm run -s token -- --role COORDINATOR --district <districtId>) npm run example:dashboard -- <districtId>\n' +
        `Calls ${url} (QC_GRAPHQL_URL, or the gateway of npm start on PORT).`,
    );
    process.exit(2);
  }
  const { data, errors } = await execute(url, token, DistrictDashboardDocument, { districtId });
  const district = data?.district;
  if (!district) throw new Error(errors.length ? describeErrors(errors) : `District ${districtId} was not found.`);
  console.log(render(district, errors));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
