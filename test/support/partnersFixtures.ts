import { type TestGraph, TEST_ADMIN, dataOf } from './testGraph';

/** Partners records for any suite, created through the partners subgraph's own mutations as an admin. */

export async function registerPartner(graph: TestGraph, input: Record<string, unknown>): Promise<string> {
  const response = await graph.request<{ registerPartner: { id: string } }>(
    'mutation ($input: RegisterPartnerInput!) { registerPartner(input: $input) { id } }',
    { caller: TEST_ADMIN, variables: { input } },
  );
  return dataOf(response).registerPartner.id;
}
