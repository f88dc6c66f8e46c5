import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Caller } from '../../lib/auth/caller';
import { registerBuilding, registerDistrict, registerLandlord } from '../support/housingFixtures';
import { type TestGraph, TEST_ADMIN, dataOf, errorCodes, startTestGraph } from '../support/testGraph';

const REGISTER_PARTNER = `
  mutation RegisterPartner($input: RegisterPartnerInput!) {
    registerPartner(input: $input) { id name kind siret cnlrqLabel services districts { id } }
  }`;

const SIGN_AGREEMENT = `
  mutation SignAgreement($input: SignAgreementInput!) {
    signAgreement(input: $input) {
      id kind services validFrom validTo
      partner { id name }
      district { id name }
      landlords { id name }
    }
  }`;

const PARTNER_SEARCH = readFileSync(path.resolve(__dirname, '../../schema/operations/partnerSearch.graphql'), 'utf8');

const PARTNER = `
  query Partner($id: ID!) {
    partner(id: $id) { id name cnlrqLabel districts { id } agreements { id landlords { id } } }
  }`;

const PARTNERS = `
  query Partners($districtId: ID, $service: PartnerService) {
    partners(districtId: $districtId, service: $service) { id name }
  }`;

interface PartnerResult {
  id: string;
  name: string;
  kind: string;
  siret: string | null;
  cnlrqLabel: boolean;
  services: string[];
  districts: { id: string }[];
}

describe('partners: régies de quartier, associations and their agreements', () => {
  let graph: TestGraph;
  let mirail: string;
  let bellefontaine: string;
  let chalets: string;
  let languedocienne: string;
  let metropoleHabitat: string;
  let mirailCoordinator: Caller;
  let bellefontaineCoordinator: Caller;
  let regie: PartnerResult;
  let association: PartnerResult;

  const count = (collection: 'partners' | 'agreements') => graph.db.collection(collection).countDocuments();

  async function registerPartner(caller: Caller, input: Record<string, unknown>) {
    return graph.request<{ registerPartner: PartnerResult }>(REGISTER_PARTNER, { caller, variables: { input } });
  }

  async function signAgreement(caller: Caller, input: Record<string, unknown>) {
    return graph.request<{ signAgreement: Record<string, unknown> }>(SIGN_AGREEMENT, { caller, variables: { input } });
  }

  const regieAgreement = () => ({
    partnerId: regie.id,
    districtId: mirail,
    landlordIds: [chalets, languedocienne],
    kind: 'RESERVED_CONTRACT',
    services: ['CLEANING', 'BULKY_WASTE_COLLECTION'],
    validFrom: '2026-01-01',
    validTo: '2028-12-31',
  });

  beforeAll(async () => {
    graph = await startTestGraph();
    mirail = await registerDistrict(graph, 'Le Mirail');
    bellefontaine = await registerDistrict(graph, 'Bellefontaine');
    chalets = await registerLandlord(graph, 'Groupe des Chalets');
    languedocienne = await registerLandlord(graph, 'Patrimoine SA Languedocienne');
    metropoleHabitat = await registerLandlord(graph, 'Toulouse Métropole Habitat');
    await registerBuilding(graph, chalets, mirail, 'de Bellefontaine');
    await registerBuilding(graph, languedocienne, mirail, 'Tintoret');
    // Toulouse Métropole Habitat owns buildings in the other district only.
    await registerBuilding(graph, metropoleHabitat, bellefontaine, 'du Lac');
    mirailCoordinator = { role: 'COORDINATOR', sub: 'coordinator-mirail', districtIds: [mirail] };
    bellefontaineCoordinator = { role: 'COORDINATOR', sub: 'coordinator-bellefontaine', districtIds: [bellefontaine] };
  });

  afterAll(async () => {
    await graph.close();
  });

  it("lets the district's coordinator register a régie de quartier with the CNLRQ label and an association", async () => {
    regie = dataOf(
      await registerPartner(mirailCoordinator, {
        name: 'Régie de quartier Reynerie-Mirail',
        kind: 'NEIGHBOURHOOD_BOARD',
        siret: '418 929 371 00025',
        cnlrqLabel: true,
        services: ['CLEANING', 'BULKY_WASTE_COLLECTION', 'JOB_INTEGRATION'],
        districtIds: [mirail],
      }),
    ).registerPartner;
    // Registered under the deprecated kind, which is still accepted: it reads as what it is.
    expect(regie).toMatchObject({
      kind: 'REGIE_DE_QUARTIER',
      siret: '41892937100025',
      cnlrqLabel: true,
      services: ['CLEANING', 'BULKY_WASTE_COLLECTION', 'JOB_INTEGRATION'],
      districts: [{ id: mirail }],
    });

    association = dataOf(
      await registerPartner(TEST_ADMIN, {
        name: 'Association Vivre au Mirail',
        kind: 'ASSOCIATION',
        services: ['COMMUNITY_EVENTS', 'MEDIATION'],
        districtIds: [mirail],
      }),
    ).registerPartner;
    expect(association).toMatchObject({ kind: 'ASSOCIATION', siret: null, cnlrqLabel: false, districts: [{ id: mirail }] });
  });

  it('signs an agreement between the régie and two landlords of the district', async () => {
    const agreement = dataOf(await signAgreement(mirailCoordinator, regieAgreement())).signAgreement;
    expect(agreement).toMatchObject({
      kind: 'RESERVED_CONTRACT',
      services: ['CLEANING', 'BULKY_WASTE_COLLECTION'],
      validFrom: '2026-01-01',
      validTo: '2028-12-31',
      partner: { id: regie.id, name: 'Régie de quartier Reynerie-Mirail' },
      district: { id: mirail, name: 'Le Mirail' },
      landlords: [
        { id: chalets, name: 'Groupe des Chalets' },
        { id: languedocienne, name: 'Patrimoine SA Languedocienne' },
      ],
    });

    const seenFromPartner = dataOf(
      await graph.request<{ partner: { agreements: { id: string }[] } }>(PARTNER, {
        caller: mirailCoordinator,
        variables: { id: regie.id },
      }),
    );
    expect(seenFromPartner.partner.agreements.map((entry) => entry.id)).toEqual([agreement.id]);

    const seenFromLandlord = dataOf(
      await graph.request<{ landlord: { agreements: { id: string; partner: { id: string } }[] } }>(
        'query ($id: ID!) { landlord(id: $id) { agreements { id partner { id } } } }',
        { caller: mirailCoordinator, variables: { id: chalets } },
      ),
    );
    expect(seenFromLandlord.landlord.agreements).toEqual([{ id: agreement.id, partner: { id: regie.id } }]);
  });

  it('lists the partners of a district, by the service they offer', async () => {
    const districtPartners = async (service: string | null) =>
      dataOf(
        await graph.request<{ district: { partners: { id: string }[] } }>(
          'query ($id: ID!, $service: PartnerService) { district(id: $id) { partners(service: $service) { id } } }',
          { caller: mirailCoordinator, variables: { id: mirail, service } },
        ),
      ).district.partners.map((partner) => partner.id);

    expect(await districtPartners('CLEANING')).toEqual([regie.id]);
    expect(await districtPartners('MEDIATION')).toEqual([association.id]);
    expect(await districtPartners('GREEN_SPACES')).toEqual([]);
    expect(await districtPartners(null)).toEqual([association.id, regie.id]);

    const search = await graph.request<{ partners: { id: string; agreements: { landlords: { name: string }[] }[] }[] }>(PARTNER_SEARCH, {
      caller: mirailCoordinator,
      variables: { districtId: mirail, service: 'CLEANING' },
    });
    expect(dataOf(search).partners).toMatchObject([
      { id: regie.id, agreements: [{ landlords: [{ name: 'Groupe des Chalets' }, { name: 'Patrimoine SA Languedocienne' }] }] },
    ]);
  });

  describe('a coordinator of another district', () => {
    it('cannot register a partner in this district', async () => {
      const before = await count('partners');
      const response = await registerPartner(bellefontaineCoordinator, {
        name: 'Centre social Bellefontaine',
        kind: 'SOCIAL_CENTRE',
        services: ['SOCIAL_SUPPORT'],
        districtIds: [bellefontaine, mirail],
      });
      expect(errorCodes(response)).toEqual(['FORBIDDEN']);
      expect(await count('partners')).toBe(before);
    });

    it("sees only its own district's partners, and none of this district's", async () => {
      const ownPartner = dataOf(
        await registerPartner(bellefontaineCoordinator, {
          name: 'Centre social Bellefontaine',
          kind: 'SOCIAL_CENTRE',
          services: ['SOCIAL_SUPPORT'],
          districtIds: [bellefontaine],
        }),
      ).registerPartner;

      const ofMirail = await graph.request<{ partners: unknown[] }>(PARTNERS, {
        caller: bellefontaineCoordinator,
        variables: { districtId: mirail },
      });
      expect(dataOf(ofMirail).partners).toEqual([]);
      const all = await graph.request<{ partners: { id: string }[] }>(PARTNERS, { caller: bellefontaineCoordinator });
      expect(dataOf(all).partners.map((partner) => partner.id)).toEqual([ownPartner.id]);

      const regieRecord = await graph.request<{ partner: unknown }>(PARTNER, {
        caller: bellefontaineCoordinator,
        variables: { id: regie.id },
      });
      expect(regieRecord.data?.partner).toBeNull();
      expect(errorCodes(regieRecord)).toEqual([]);

      const agreementsOfChalets = await graph.request<{ landlord: { agreements: unknown[] } | null }>(
        'query ($id: ID!) { landlord(id: $id) { agreements { id } } }',
        { caller: bellefontaineCoordinator, variables: { id: chalets } },
      );
      // Chalets has no buildings in Bellefontaine: to its coordinator, a landlord it does not know of, agreements and all.
      expect(dataOf(agreementsOfChalets).landlord).toBeNull();
    });

    it('cannot read the régie by calling the partners subgraph directly either', async () => {
      const response = await graph.request<{ _entities: unknown[] }>(
        'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Partner { id name } } }',
        {
          caller: bellefontaineCoordinator,
          url: graph.subgraphUrls.partners,
          variables: { representations: [{ __typename: 'Partner', id: regie.id }] },
        },
      );
      expect(response.data?._entities).toEqual([null]);
      expect(errorCodes(response)).toEqual([]);
    });
  });

  it('shows a partner its own record and the agreements it signed', async () => {
    const regieItself: Caller = { role: 'PARTNER', sub: 'regie-mirail', partnerId: regie.id };
    const own = dataOf(
      await graph.request<{ partner: { id: string; districts: { id: string }[]; agreements: unknown[] } }>(PARTNER, {
        caller: regieItself,
        variables: { id: regie.id },
      }),
    );
    expect(own.partner).toMatchObject({ id: regie.id, cnlrqLabel: true, districts: [{ id: mirail }] });
    expect(own.partner.agreements).toHaveLength(1);
  });

  describe('refuses invalid input, writing nothing', () => {
    const validPartner = () => ({
      name: 'Association Mirail Solidaire',
      kind: 'ASSOCIATION',
      services: ['SOCIAL_SUPPORT'],
      districtIds: [mirail],
    });

    it.each([
      ['a SIRET that is not 14 digits', { siret: '4189293710002' }, 'siret'],
      ['no services', { services: [] }, 'services'],
      ['a service named twice', { services: ['MEDIATION', 'MEDIATION'] }, 'services'],
      ['the CNLRQ label on an association', { cnlrqLabel: true }, 'cnlrqLabel'],
    ])('registerPartner with %s', async (_, change, field) => {
      const before = await count('partners');
      const response = await registerPartner(mirailCoordinator, { ...validPartner(), ...change });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors?.[0]?.extensions?.field).toBe(field);
      expect(await count('partners')).toBe(before);
    });

    it('signAgreement with a landlord without buildings in the district: a mistake to an admin, unknown to the coordinator', async () => {
      const before = await count('agreements');
      const byAdmin = await signAgreement(TEST_ADMIN, { ...regieAgreement(), landlordIds: [chalets, metropoleHabitat] });
      expect(errorCodes(byAdmin)).toEqual(['BAD_USER_INPUT']);
      expect(byAdmin.errors?.[0]?.extensions?.field).toBe('landlordIds');
      const byCoordinator = await signAgreement(mirailCoordinator, { ...regieAgreement(), landlordIds: [chalets, metropoleHabitat] });
      expect(errorCodes(byCoordinator)).toEqual(['NOT_FOUND']);
      expect(await count('agreements')).toBe(before);
    });

    it.each([
      ['validTo before validFrom', () => ({ validFrom: '2026-06-01', validTo: '2026-05-31' }), 'validTo'],
      ['a service the partner does not offer', () => ({ services: ['GREEN_SPACES'] }), 'services'],
    ])('signAgreement with %s', async (_, change, field) => {
      const before = await count('agreements');
      const response = await signAgreement(mirailCoordinator, { ...regieAgreement(), ...change() });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors?.[0]?.extensions?.field).toBe(field);
      expect(await count('agreements')).toBe(before);
    });

    it('signAgreement for a reserved contract with a social centre', async () => {
      const socialCentre = dataOf(
        await registerPartner(mirailCoordinator, {
          name: 'Centre social Reynerie',
          kind: 'SOCIAL_CENTRE',
          services: ['SOCIAL_SUPPORT'],
          districtIds: [mirail],
        }),
      ).registerPartner;
      const before = await count('agreements');
      const response = await signAgreement(mirailCoordinator, {
        ...regieAgreement(),
        partnerId: socialCentre.id,
        services: ['SOCIAL_SUPPORT'],
      });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors?.[0]?.extensions?.field).toBe('kind');
      expect(await count('agreements')).toBe(before);
    });
  });

  it('stores the deprecated NEIGHBOURHOOD_BOARD as REGIE_DE_QUARTIER, and reads one stored under the old name as a régie', async () => {
    const stored = await graph.db.collection('partners').findOne({ _id: regie.id as never });
    expect(stored?.kind).toBe('REGIE_DE_QUARTIER');
    const current = dataOf(
      await registerPartner(mirailCoordinator, {
        name: 'Régie de quartier Bagatelle',
        kind: 'REGIE_DE_QUARTIER',
        cnlrqLabel: true,
        services: ['CLEANING'],
        districtIds: [mirail],
      }),
    ).registerPartner;
    expect(current).toMatchObject({ kind: 'REGIE_DE_QUARTIER', cnlrqLabel: true });
    await graph.db.collection('partners').updateOne({ _id: current.id as never }, { $set: { kind: 'NEIGHBOURHOOD_BOARD' } });
    const read = await graph.request<{ partner: { kind: string } }>('query ($id: ID!) { partner(id: $id) { kind } }', {
      caller: mirailCoordinator,
      variables: { id: current.id },
    });
    expect(dataOf(read).partner.kind).toBe('REGIE_DE_QUARTIER');
  });

  it('refuses a second partner with the same SIRET as a CONFLICT', async () => {
    const before = await count('partners');
    const response = await registerPartner(TEST_ADMIN, {
      name: 'Régie homonyme',
      kind: 'NEIGHBOURHOOD_BOARD',
      siret: '41892937100025',
      services: ['CLEANING'],
      districtIds: [mirail],
    });
    expect(errorCodes(response)).toEqual(['CONFLICT']);
    expect(await count('partners')).toBe(before);
  });
});
