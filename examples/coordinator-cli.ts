/**
 * A district coordinator's dashboard in the terminal: the path a front-end team follows, using only the
 * generated typed client (client/generated) and a bearer token.
 *
 *   QC_TOKEN=$(npm run -s token -- --role COORDINATOR --district district-grand-mirail) \
 *     npm run example:dashboard -- district-grand-mirail
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { DistrictDashboardDocument, type DistrictDashboardQuery } from '../client/generated/graphql';

async function execute<TResult, TVariables>(
  url: string,
  token: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
): Promise<TResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: TResult; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) {
    throw new Error(body.errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('\n'));
  }
  return body.data as TResult;
}

function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? 'n/a' : `${Math.round(rate * 100)} %`;
}

function render(district: NonNullable<DistrictDashboardQuery['district']>): string {
  const lines = [
    `${district.name} (${district.qpvCode ?? district.legacyQpvCode ?? 'no QPV code'})`,
    `Stock: ${district.stock.dwellings} dwellings in ${district.stock.buildings} buildings`,
    ...district.stock.byLandlord.map((entry) => `  ${entry.landlord.name}: ${entry.buildings} buildings, ${entry.dwellings} dwellings`),
    `Requests: ${district.requestStats.total} (${district.requestStats.open} open), acknowledged within 48 h: ${percent(
      district.requestStats.acknowledgedWithin48hRate,
    )}, median resolution: ${district.requestStats.medianResolutionHours?.toFixed(1) ?? 'n/a'} h`,
    ...district.requestStats.byCategory.map((entry) => `  ${entry.category}: ${entry.count}`),
    `Actions:`,
    ...district.actions.map(
      (action) =>
        `  [${action.status}] ${action.title} (${action.kind}${action.tfpbAxis ? `, TFPB ${action.tfpbAxis}` : ''}) by ${action.organisers
          .map((organiser) => organiser.name)
          .join(', ')}${action.partners.length ? ` with ${action.partners.map((partner) => partner.name).join(', ')}` : ''}`,
    ),
    `Partners: ${district.partners.map((partner) => `${partner.name}${partner.cnlrqLabel ? ' (CNLRQ)' : ''}`).join(', ')}`,
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const districtId = process.argv[2];
  const token = process.env.QC_TOKEN;
  const url = process.env.QC_GRAPHQL_URL ?? 'http://localhost:4000/graphql';
  if (!districtId || !token) {
    console.error('Usage: QC_TOKEN=<token> npm run example:dashboard -- <districtId>');
    process.exit(2);
  }
  const { district } = await execute(url, token, DistrictDashboardDocument, { districtId });
  if (!district) throw new Error(`District ${districtId} was not found.`);
  console.log(render(district));
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
