import type { Caller } from '../../lib/auth/caller';
import { type AccessWorld, ROLES, type Target, entitiesQuery, representation, seedAccessWorld, sendTo } from '../support/accessFixtures';
import { staffOf } from '../support/actionsFixtures';
import { registerLandlord } from '../support/housingFixtures';
import { type TestGraph, dataOf, startTestGraph } from '../support/testGraph';

/**
 * A lookup by id and the list of the same records agree: `landlord(id)` answers for exactly the landlords `landlords`
 * lists to the caller (null for the others, as for a landlord that does not exist), and likewise `district(id)` and
 * `districts`, `partner(id)` and `partners`, `building(id)` and the buildings of the districts listed. Otherwise a
 * lookup tells what the list hides: which landlords work in districts the caller has no part in.
 */

type Json = any;

interface Pair {
  name: string;
  /** The ids the caller's list holds. */
  listed: (graph: TestGraph, caller: Caller, target: Target) => Promise<string[]>;
  /** Every record of the kind, listed or not. */
  all: (world: AccessWorld, newcomer: string) => string[];
  /** The lookups answering for one id: non-null exactly when the list holds it. */
  lookups: readonly {
    via: string;
    target: Target;
    query: string;
    variables: (id: string) => Record<string, unknown>;
    root: (data: Json) => Json;
  }[];
}

const byRoot = (target: Target, field: string) => ({
  via: `${target} ${field}(id)`,
  target,
  query: `query ($id: ID!) { ${field}(id: $id) { id } }`,
  variables: (id: string) => ({ id }),
  root: (data: Json) => data?.[field],
});
const byEntity = (target: Target, typename: string) => ({
  via: `${target} _entities(${typename})`,
  target,
  query: entitiesQuery(typename, 'id'),
  variables: (id: string) => representation(typename, id),
  root: (data: Json) => data?._entities?.[0],
});

async function listOf(graph: TestGraph, caller: Caller, target: Target, query: string, ids: (data: Json) => string[]): Promise<string[]> {
  return ids(dataOf(await sendTo(graph, target, query, caller))).sort();
}

const PAIRS: readonly Pair[] = [
  {
    name: 'landlord(id) and landlords',
    listed: (graph, caller, target) =>
      listOf(graph, caller, target, '{ landlords { id } }', (data) => data.landlords.map((l: Json) => l.id)),
    all: (w, newcomer) => [...Object.values(w.landlords), newcomer],
    lookups: [byRoot('gateway', 'landlord'), byRoot('housing', 'landlord'), byEntity('housing', 'Landlord')],
  },
  {
    name: 'district(id) and districts',
    listed: (graph, caller, target) =>
      listOf(graph, caller, target, '{ districts { id } }', (data) => data.districts.map((d: Json) => d.id)),
    all: (w) => [w.mirail, w.bellefontaine],
    lookups: [
      byRoot('gateway', 'district'),
      byRoot('housing', 'district'),
      byEntity('housing', 'District'),
      byEntity('tenancy', 'District'),
    ],
  },
  {
    name: 'partner(id) and partners',
    listed: (graph, caller, target) => listOf(graph, caller, target, '{ partners { id } }', (data) => data.partners.map((p: Json) => p.id)),
    all: (w) => Object.values(w.partners),
    lookups: [byRoot('gateway', 'partner'), byRoot('partners', 'partner'), byEntity('partners', 'Partner')],
  },
  {
    name: 'building(id) and the buildings of the districts listed',
    listed: (graph, caller, target) =>
      listOf(graph, caller, target, '{ districts { buildings { nodes { id } } } }', (data) =>
        data.districts.flatMap((d: Json) => d.buildings.nodes.map((b: Json) => b.id)),
      ),
    all: (w) => Object.values(w.buildings),
    lookups: [
      byRoot('gateway', 'building'),
      byRoot('housing', 'building'),
      byEntity('housing', 'Building'),
      byEntity('tenancy', 'Building'),
    ],
  },
];

/** The roles of the access matrix but admins (who see everything), and staff of a landlord with no buildings yet. */
const CALLERS = [...ROLES.filter((role) => role !== 'ADMIN'), 'NEWCOMER_STAFF'] as const;

describe('security: lookups agree with lists', () => {
  let graph: TestGraph;
  let world: AccessWorld;
  let newcomer: string;

  beforeAll(async () => {
    graph = await startTestGraph();
    world = await seedAccessWorld(graph);
    newcomer = await registerLandlord(graph, 'Nouveau Logis');
  });

  afterAll(async () => {
    await graph.close();
  });

  const callerOf = (role: (typeof CALLERS)[number]): Caller => (role === 'NEWCOMER_STAFF' ? staffOf(newcomer) : world.callers[role]);

  const cases = PAIRS.flatMap((pair) => CALLERS.map((role) => ({ pair, role, title: `${pair.name} as ${role}` })));

  it.each(cases)('$title', async ({ pair, role }) => {
    const caller = callerOf(role);
    const listed = await pair.listed(graph, caller, 'gateway');
    expect(await pair.listed(graph, caller, pair.lookups[1]!.target)).toEqual(listed);
    for (const lookup of pair.lookups) {
      const found: string[] = [];
      for (const id of pair.all(world, newcomer)) {
        const response = await sendTo(graph, lookup.target, lookup.query, caller, lookup.variables(id));
        expect({ via: lookup.via, id, errors: response.errors }).toEqual({ via: lookup.via, id, errors: undefined });
        if (lookup.root(response.data)) found.push(id);
      }
      expect({ via: lookup.via, found: found.sort() }).toEqual({ via: lookup.via, found: listed });
    }
  });

  it("lists a landlord's own record to its staff before it has buildings, and nothing else", async () => {
    expect(await PAIRS[0]!.listed(graph, staffOf(newcomer), 'gateway')).toEqual([newcomer]);
  });

  it("hides a landlord from those who share no district with it: the neighbour's staff see the owner, Bellefontaine's do not", async () => {
    const owner = async (role: 'NEIGHBOUR_STAFF' | 'OUTSIDER_STAFF' | 'OTHER_PARTNER') => {
      const response = await sendTo(graph, 'gateway', 'query ($id: ID!) { landlord(id: $id) { name } }', world.callers[role], {
        id: world.landlords.owner,
      });
      return (dataOf(response) as Json).landlord;
    };
    expect(await owner('NEIGHBOUR_STAFF')).toEqual({ name: 'Groupe des Chalets' });
    expect(await owner('OUTSIDER_STAFF')).toBeNull();
    expect(await owner('OTHER_PARTNER')).toBeNull();
  });
});
