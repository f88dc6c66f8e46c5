import { seedDemoDataIfEmpty } from '../../scripts/seed/demo';
import type { BuildingDocument } from '../../subgraphs/housing/model';
import { DEMO_CAMPAIGN_ID } from '../../scripts/seed/campaigns';
import { COLLECTIONS } from '../../subgraphs/shared/mongo';
import { runScript } from '../support/runScript';
import { type TestGraph, TEST_ADMIN, dataOf, startTestGraph } from '../support/testGraph';

const runSeed = (args: string[], env: Record<string, string>) => runScript('scripts/seed/cli.ts', args, env);

const DISTRICTS = `
  query SeededDistricts {
    districts {
      id name qpvCode
      landlords { id }
      stock { dwellings buildings }
      requestStats { total }
      actions { status }
      partners { id }
    }
  }`;

interface SeededDistrict {
  id: string;
  name: string;
  qpvCode: string | null;
  landlords: { id: string }[];
  stock: { dwellings: number; buildings: number };
  requestStats: { total: number };
  actions: { status: string }[];
  partners: { id: string }[];
}

/** `npm run seed` as a newcomer runs it: against the running graph of `npm start` (demo loaded), no configuration. */
describe('npm run seed', () => {
  let graph: TestGraph;
  let env: Record<string, string>;

  beforeAll(async () => {
    graph = await startTestGraph();
    await seedDemoDataIfEmpty(graph.db);
    env = { QC_GRAPHQL_URL: graph.gatewayUrl, QC_TOKEN: '', JWT_SECRET: '', JWT_JWKS_URL: '', NODE_ENV: 'development', MONGODB_URI: '' };
  });

  afterAll(async () => {
    await graph.close();
  });

  const districts = async () => dataOf(await graph.request<{ districts: SeededDistrict[] }>(DISTRICTS, { caller: TEST_ADMIN })).districts;

  it('adds the demo world through the mutations, beside the demo npm start loaded', async () => {
    // A smaller stock than the demo's: what is tested is the way through the graph, not the volume.
    const result = await runSeed(['--buildings', '20', '--dwellings', '600', '--requests', '40', '--actions', '4'], env);

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`^Added [\\d,]+ records through ${graph.gatewayUrl.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} in \\d+\\.\\d s:\\n`),
    );
    expect(result.stdout).toContain('  dwellings            600\n');
    expect(result.stdout).toContain('  serviceRequests      40\n');
    expect(result.stdout).toContain('  campaigns            1\n');
    // The graph built the campaign's call lists from the households the seed registered, with their profiles.
    expect(await graph.db.collection(COLLECTIONS.campaignCalls).countDocuments({ campaignId: { $ne: DEMO_CAMPAIGN_ID } })).toBeGreaterThan(
      0,
    );

    const all = await districts();
    expect(all).toHaveLength(2);
    const added = all.find((district) => district.id !== 'district-grand-mirail')!;
    expect(added).toMatchObject({
      name: 'Grand Mirail',
      // The demo district has the QPV code already: a code names one district.
      qpvCode: null,
      stock: { dwellings: 600, buildings: 20 },
      requestStats: { total: 40 },
    });
    expect(added.landlords).toHaveLength(3);
    expect(added.actions).toHaveLength(4);
    expect(added.partners).toHaveLength(2);
    // Written by the subgraphs, so audited as the caller the token names.
    const building = await graph.db.collection<BuildingDocument>(COLLECTIONS.buildings).findOne({ districtId: added.id });
    expect(building?.audit.createdBy).toBe('seed');
  }, 300_000);

  it('applies the access rules of the token it is given: a coordinator may not register landlords, and nothing is written', async () => {
    const before = await graph.db.collection(COLLECTIONS.landlords).countDocuments();
    const coordinator = await graph.token({ role: 'COORDINATOR', sub: 'coordinator', districtIds: ['district-grand-mirail'] });

    const result = await runSeed([], { ...env, QC_TOKEN: coordinator });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('FORBIDDEN');
    expect(await graph.db.collection(COLLECTIONS.landlords).countDocuments()).toBe(before);
  }, 60_000);

  it('says how to start the graph when nothing answers, and refuses bad arguments', async () => {
    const unreachable = await runSeed([], { ...env, QC_GRAPHQL_URL: 'http://127.0.0.1:9/graphql' });
    const wrong = await runSeed(['--drop'], env);

    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toContain('Cannot reach the graph at http://127.0.0.1:9/graphql');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('Usage: npm run seed');
  }, 60_000);
});
