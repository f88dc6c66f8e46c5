import { SignJWT, UnsecuredJWT } from 'jose';
import { type AuthConfig, DEVELOPMENT_JWT_SECRET, authConfigFromEnv } from '../../lib/auth/config';
import { COLLECTIONS } from '../../subgraphs/shared/mongo';
import { type Target, type Variables, distinctCodes } from '../support/accessFixtures';
import { type GraphQLResponse, type TestGraph, startTestGraph } from '../support/testGraph';

/**
 * Who is calling comes from a verified bearer token alone, at the gateway and again at each subgraph (called here
 * with the gateway's signature, as if the gateway had been fooled): without a valid token, whatever else the
 * request claims, every entry point answers UNAUTHENTICATED (HTTP 401) and writes nothing. Headers naming a role
 * are never trusted, with or without a token.
 */

interface Entry {
  target: Target;
  /** A read any authenticated caller may send. */
  read: string;
  /** A write that would change `collection` if it ran. */
  write: { query: string; variables: Variables; collection: keyof typeof COLLECTIONS };
}

const REGISTER_LANDLORD = {
  query: 'mutation ($input: RegisterLandlordInput!) { registerLandlord(input: $input) { id } }',
  variables: { input: { name: 'Bailleur fantôme', family: 'OTHER' } },
  collection: 'landlords',
} as const;

/** The gateway and each subgraph, with a read and a write of its own. */
const ENTRIES: readonly Entry[] = [
  { target: 'gateway', read: '{ districts { id } }', write: REGISTER_LANDLORD },
  { target: 'housing', read: '{ districts { id } }', write: REGISTER_LANDLORD },
  {
    target: 'tenancy',
    read: '{ household(id: "unknown") { id } }',
    write: {
      query: 'mutation ($input: RecordSatisfactionSurveyInput!) { recordSatisfactionSurvey(input: $input) { year } }',
      variables: {
        input: {
          landlordId: 'landlord',
          districtId: 'district',
          year: 2024,
          scores: [{ theme: 'OVERALL', respondents: 10, satisfied: 5 }],
        },
      },
      collection: 'satisfactionSurveys',
    },
  },
  {
    target: 'actions',
    read: '{ action(id: "unknown") { id } }',
    write: {
      query: 'mutation ($input: ProposeActionInput!) { proposeAction(input: $input) { id } }',
      variables: { input: { districtId: 'district', landlordId: 'landlord', title: 'Action fantôme', kind: 'OTHER' } },
      collection: 'actions',
    },
  },
  {
    target: 'partners',
    read: '{ partners { id } }',
    write: {
      query: 'mutation ($input: RegisterPartnerInput!) { registerPartner(input: $input) { id } }',
      variables: { input: { name: 'Partenaire fantôme', kind: 'OTHER', services: ['OTHER'], districtIds: ['district'] } },
      collection: 'partners',
    },
  },
];

const ADMIN_CLAIMS = { role: 'ADMIN' };
const developmentSecret = new TextEncoder().encode(DEVELOPMENT_JWT_SECRET);

interface TokenOptions {
  secret?: Uint8Array;
  alg?: string;
  /** A jose time span or an epoch second; null for no expiry. */
  expires?: string | number | null;
  issuer?: string;
  audience?: string;
}

/** A token of any shape, signed past `signToken`'s checks, to build what an attacker would send. */
function forgedToken(
  claims: Record<string, unknown>,
  { secret = developmentSecret, alg = 'HS256', expires = '10m', issuer, audience }: TokenOptions = {},
) {
  const token = new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).setSubject('mallory').setIssuedAt();
  if (expires !== null) token.setExpirationTime(expires);
  if (issuer !== undefined) token.setIssuer(issuer);
  if (audience !== undefined) token.setAudience(audience);
  return token.sign(secret);
}

const bearer = async (token: Promise<string> | string) => ({ authorization: `Bearer ${await token}` });

/** Headers a careless service might trust to say who is calling. */
const IDENTITY_HEADERS = {
  'x-caller-role': 'ADMIN',
  'x-caller-sub': 'mallory',
  'x-caller': JSON.stringify({ role: 'ADMIN', sub: 'mallory' }),
  'x-user-role': 'ADMIN',
  'x-forwarded-user': 'admin',
};

/** Requests without a valid token, each claiming to be an admin one way or another. */
const ATTACKS: readonly { attack: string; headers: () => Promise<Record<string, string>> }[] = [
  { attack: 'no token', headers: async () => ({}) },
  { attack: 'identity headers claiming ADMIN, no token', headers: async () => IDENTITY_HEADERS },
  {
    attack: 'an ADMIN token signed with another secret',
    headers: () => bearer(forgedToken(ADMIN_CLAIMS, { secret: new TextEncoder().encode('a-secret-of-my-own-of-at-least-32-bytes') })),
  },
  {
    attack: 'an unsigned (alg "none") ADMIN token',
    headers: () => bearer(new UnsecuredJWT(ADMIN_CLAIMS).setSubject('mallory').setExpirationTime('10m').encode()),
  },
  { attack: 'an expired ADMIN token', headers: () => bearer(forgedToken(ADMIN_CLAIMS, { expires: Math.floor(Date.now() / 1000) - 60 })) },
  { attack: 'an ADMIN token without expiry', headers: () => bearer(forgedToken(ADMIN_CLAIMS, { expires: null })) },
  { attack: 'an ADMIN token signed HS512 (only HS256 is accepted)', headers: () => bearer(forgedToken(ADMIN_CLAIMS, { alg: 'HS512' })) },
  { attack: 'a bearer that is not a token', headers: async () => ({ authorization: 'Bearer ADMIN' }) },
];

/** Sends `headers` as they are, with no token of the graph's; straight to a subgraph, signed as the gateway signs. */
function post(
  graph: TestGraph,
  target: Target,
  query: string,
  headers: Record<string, string>,
  variables: Variables = {},
): Promise<GraphQLResponse> {
  const url = target === 'gateway' ? graph.gatewayUrl : graph.subgraphUrls[target];
  return graph.request(query, { caller: null, variables, url, headers });
}

const stored = (graph: TestGraph, collection: keyof typeof COLLECTIONS) => graph.db.collection(COLLECTIONS[collection]).find({}).toArray();

/** The request is refused as unauthenticated, and its write left the collection as it was. */
async function expectUnauthenticated(graph: TestGraph, entry: Entry, headers: Record<string, string>): Promise<void> {
  const read = await post(graph, entry.target, entry.read, headers);
  expect([read.status, distinctCodes(read), read.data ?? null]).toEqual([401, ['UNAUTHENTICATED'], null]);

  const before = await stored(graph, entry.write.collection);
  const write = await post(graph, entry.target, entry.write.query, headers, entry.write.variables);
  expect([write.status, distinctCodes(write), write.data ?? null]).toEqual([401, ['UNAUTHENTICATED'], null]);
  expect(await stored(graph, entry.write.collection)).toEqual(before);
}

const CASES = ATTACKS.flatMap(({ attack, headers }) => ENTRIES.map((entry) => ({ attack, headers, entry, target: entry.target })));

describe('access matrix: authentication', () => {
  let graph: TestGraph;

  beforeAll(async () => {
    graph = await startTestGraph();
  });

  afterAll(async () => {
    await graph.close();
  });

  it.each(CASES)('$attack, at $target: UNAUTHENTICATED, nothing written', async ({ headers, entry }) => {
    await expectUnauthenticated(graph, entry, await headers());
  });

  it.each(ENTRIES.filter((entry) => entry.write === REGISTER_LANDLORD))(
    'identity headers claiming ADMIN beside a partner token, at $target: the caller stays the partner (FORBIDDEN, nothing written)',
    async (entry) => {
      const headers = { ...IDENTITY_HEADERS, ...(await bearer(graph.token({ role: 'PARTNER', sub: 'mallory', partnerId: 'partner' }))) };
      const before = await stored(graph, 'landlords');
      const response = await post(graph, entry.target, entry.write.query, headers, entry.write.variables);
      expect(distinctCodes(response)).toEqual(['FORBIDDEN']);
      expect(await stored(graph, 'landlords')).toEqual(before);
    },
  );
});

describe('access matrix: authentication with an issuer and an audience configured', () => {
  const ISSUER = 'https://identite.quartier-commun.test';
  const AUDIENCE = 'quartier-commun-graph';
  const auth: AuthConfig = { ...authConfigFromEnv({ NODE_ENV: 'test' }), issuer: ISSUER, audience: AUDIENCE };
  let graph: TestGraph;

  beforeAll(async () => {
    graph = await startTestGraph({ auth });
  });

  afterAll(async () => {
    await graph.close();
  });

  const TOKENS = [
    { token: 'a token of another issuer', options: { issuer: 'https://ailleurs.test', audience: AUDIENCE } },
    { token: 'a token for another audience', options: { issuer: ISSUER, audience: 'another-graph' } },
    { token: 'a token naming neither', options: {} },
  ];
  const CASES_WITH_ISSUER = TOKENS.flatMap(({ token, options }) =>
    ENTRIES.map((entry) => ({ token, options, entry, target: entry.target })),
  );

  it.each(CASES_WITH_ISSUER)('$token, at $target: UNAUTHENTICATED, nothing written', async ({ options, entry }) => {
    await expectUnauthenticated(graph, entry, await bearer(forgedToken(ADMIN_CLAIMS, options)));
  });

  it.each(ENTRIES)('a token of the configured issuer and audience, at $target: accepted', async (entry) => {
    const response = await post(graph, entry.target, entry.read, await bearer(graph.token({ role: 'ADMIN', sub: 'ada' })));
    expect([response.status, distinctCodes(response)]).toEqual([200, []]);
  });
});
