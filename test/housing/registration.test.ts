import type { Caller } from '../../lib/auth/caller';
import { coordinatorOf, partnerStaff, staffOf } from '../support/actionsFixtures';
import { registerBuilding, registerDistrict, registerLandlord } from '../support/housingFixtures';
import { registerPartner } from '../support/partnersFixtures';
import { type GraphQLResponse, type TestGraph, TEST_ADMIN, dataOf, errorCodes, startTestGraph } from '../support/testGraph';

/** Registering the stock: who may, what is checked, and that a refused write leaves the database as it was. */

const REGISTER_LANDLORD = `
  mutation ($input: RegisterLandlordInput!) {
    registerLandlord(input: $input) { id name family siren audit { createdBy } }
  }`;

const REGISTER_DISTRICT = `
  mutation ($input: RegisterDistrictInput!) {
    registerDistrict(input: $input) { id name communeCodes qpvCode legacyQpvCode }
  }`;

const REGISTER_BUILDING = `
  mutation ($input: RegisterBuildingInput!) {
    registerBuilding(input: $input) {
      id constructionYear hasLift
      landlord { id } district { id }
      estate { id name buildings { id } }
      address { number repetition streetType streetName postcode communeCode label }
      location { latitude longitude }
      entrances { id label }
    }
  }`;

const REGISTER_DWELLINGS = `
  mutation ($buildingId: ID!, $dwellings: [DwellingInput!]!) {
    registerDwellings(buildingId: $buildingId, dwellings: $dwellings) {
      id rooms surface floor financing energyClass constructionType rentCents building { id }
    }
  }`;

interface BuildingResult {
  id: string;
  constructionYear: number | null;
  hasLift: boolean | null;
  landlord: { id: string };
  district: { id: string };
  estate: { id: string; name: string; buildings: { id: string }[] } | null;
  address: Record<string, string | null>;
  location: { latitude: number; longitude: number } | null;
  entrances: { id: string; label: string }[];
}

interface DwellingResult {
  id: string;
  rooms: number;
  surface: number | null;
  floor: number | null;
  financing: string | null;
  energyClass: string | null;
  constructionType: string | null;
  rentCents: number | null;
  building: { id: string };
}

/** The field a BAD_USER_INPUT names, so that a test fails for the reason it means. */
function refusedField(response: GraphQLResponse<unknown>): unknown {
  expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
  return response.errors![0]!.extensions?.field;
}

describe('housing registration', () => {
  let graph: TestGraph;
  let mirail: string;
  let chalets: string;
  let languedocienne: string;
  let regie: string;
  let nonAdmins: Caller[];

  const count = (collection: 'landlords' | 'districts' | 'estates' | 'buildings' | 'dwellings') =>
    graph.db.collection(collection).countDocuments();

  const registerLandlordAs = (caller: Caller, input: Record<string, unknown>) =>
    graph.request<{ registerLandlord: { id: string; name: string; family: string; siren: string | null; audit: { createdBy: string } } }>(
      REGISTER_LANDLORD,
      { caller, variables: { input: { family: 'ESH', ...input } } },
    );

  const registerDistrictAs = (caller: Caller, input: Record<string, unknown>) =>
    graph.request<{ registerDistrict: Record<string, unknown> }>(REGISTER_DISTRICT, {
      caller,
      variables: { input: { communeCodes: ['31555'], ...input } },
    });

  const address = (streetName: string, extra: Record<string, unknown> = {}) => ({
    number: '12',
    streetType: 'allée',
    streetName,
    communeCode: '31555',
    ...extra,
  });

  const registerBuildingAs = (caller: Caller, input: Record<string, unknown>) =>
    graph.request<{ registerBuilding: BuildingResult }>(REGISTER_BUILDING, {
      caller,
      variables: { input: { landlordId: chalets, districtId: mirail, ...input } },
    });

  const registerDwellingsAs = (caller: Caller, buildingId: string, dwellings: Record<string, unknown>[]) =>
    graph.request<{ registerDwellings: DwellingResult[] }>(REGISTER_DWELLINGS, { caller, variables: { buildingId, dwellings } });

  beforeAll(async () => {
    graph = await startTestGraph();
    mirail = await registerDistrict(graph, 'Le Mirail');
    chalets = await registerLandlord(graph, 'Groupe des Chalets');
    languedocienne = await registerLandlord(graph, 'Patrimoine SA Languedocienne');
    await registerBuilding(graph, languedocienne, mirail, 'du Tintoret');
    await registerBuilding(graph, chalets, mirail, 'du Cap Horn');
    regie = await registerPartner(graph, {
      name: 'Régie de quartier Reynerie',
      kind: 'NEIGHBOURHOOD_BOARD',
      services: ['CLEANING'],
      districtIds: [mirail],
    });
    nonAdmins = [staffOf(chalets), coordinatorOf(mirail), partnerStaff(regie)];
  });

  afterAll(async () => {
    await graph.close();
  });

  describe('registerLandlord', () => {
    it('lets an admin register a landlord, its SIREN written without spaces', async () => {
      const { registerLandlord } = dataOf(
        await registerLandlordAs(TEST_ADMIN, { name: ' Toulouse Métropole Habitat ', family: 'OPH', siren: '311 371 553' }),
      );
      expect(registerLandlord).toMatchObject({
        name: 'Toulouse Métropole Habitat',
        family: 'OPH',
        siren: '311371553',
        audit: { createdBy: TEST_ADMIN.sub },
      });
    });

    it('is for admins only: staff, coordinators and partners get FORBIDDEN and nothing is written', async () => {
      const before = await count('landlords');
      for (const caller of nonAdmins) {
        const response = await registerLandlordAs(caller, { name: 'Bailleur pirate' });
        expect(errorCodes(response)).toEqual(['FORBIDDEN']);
        expect(response.data).toBeNull();
      }
      expect(await count('landlords')).toBe(before);
    });

    it('wants a SIREN of 9 digits', async () => {
      for (const siren of ['31137155', '3113715530', '31137155A', 'SIREN']) {
        expect(refusedField(await registerLandlordAs(TEST_ADMIN, { name: 'Habitat Audois', siren }))).toBe('siren');
      }
    });

    it('refuses a blank name', async () => {
      expect(refusedField(await registerLandlordAs(TEST_ADMIN, { name: '   ' }))).toBe('name');
    });

    it('refuses a second landlord with the same SIREN as a CONFLICT, however it is spaced', async () => {
      dataOf(await registerLandlordAs(TEST_ADMIN, { name: 'Promologis', siren: '690802053' }));
      const before = await count('landlords');
      expect(errorCodes(await registerLandlordAs(TEST_ADMIN, { name: 'Promologis bis', siren: '690 802 053' }))).toEqual(['CONFLICT']);
      expect(await count('landlords')).toBe(before);
    });

    it('allows any number of landlords without a SIREN', async () => {
      dataOf(await registerLandlordAs(TEST_ADMIN, { name: 'Régie municipale A' }));
      dataOf(await registerLandlordAs(TEST_ADMIN, { name: 'Régie municipale B' }));
    });
  });

  describe('registerDistrict', () => {
    it('keeps both generations of QPV code (QN… since 2024, QP… of 2015) and each commune once', async () => {
      const { registerDistrict } = dataOf(
        await registerDistrictAs(TEST_ADMIN, {
          name: 'Grand Mirail',
          communeCodes: ['31555', '31555'],
          qpvCode: 'QN03107M',
          legacyQpvCode: 'QP031007',
        }),
      );
      expect(registerDistrict).toMatchObject({
        name: 'Grand Mirail',
        communeCodes: ['31555'],
        qpvCode: 'QN03107M',
        legacyQpvCode: 'QP031007',
      });
    });

    it('accepts the communes and QPV codes of Corsica (2A, 2B)', async () => {
      const { registerDistrict } = dataOf(
        await registerDistrictAs(TEST_ADMIN, {
          name: 'Les Salines',
          communeCodes: ['2A004', '2B033'],
          qpvCode: 'QN02A01M',
          legacyQpvCode: 'QP02A001',
        }),
      );
      expect(registerDistrict).toMatchObject({ communeCodes: ['2A004', '2B033'], qpvCode: 'QN02A01M', legacyQpvCode: 'QP02A001' });
    });

    it('is for admins only', async () => {
      const before = await count('districts');
      for (const caller of nonAdmins) {
        expect(errorCodes(await registerDistrictAs(caller, { name: 'Quartier pirate' }))).toEqual(['FORBIDDEN']);
      }
      expect(await count('districts')).toBe(before);
    });

    it('wants codes INSEE of 5 characters, at least one', async () => {
      for (const communeCodes of [[], ['3155'], ['315555'], ['2C004'], ['31555', 'Toulouse']]) {
        expect(refusedField(await registerDistrictAs(TEST_ADMIN, { name: 'Quartier', communeCodes }))).toBe('communeCodes');
      }
    });

    it('wants a QPV code of its generation in each field', async () => {
      for (const qpvCode of ['QN0310', 'QN03107M9', 'qn03107m', 'QX03107M', 'QP031008']) {
        expect(refusedField(await registerDistrictAs(TEST_ADMIN, { name: 'Quartier', qpvCode }))).toBe('qpvCode');
      }
      for (const legacyQpvCode of ['QP31007', 'QP0310070', 'QP03100A', 'QN03108M']) {
        expect(refusedField(await registerDistrictAs(TEST_ADMIN, { name: 'Quartier', legacyQpvCode }))).toBe('legacyQpvCode');
      }
    });

    it('refuses a QPV code already registered, of either generation, as a CONFLICT', async () => {
      dataOf(await registerDistrictAs(TEST_ADMIN, { name: 'Bagatelle', qpvCode: 'QN03102M', legacyQpvCode: 'QP031003' }));
      const before = await count('districts');
      expect(errorCodes(await registerDistrictAs(TEST_ADMIN, { name: 'Bagatelle (doublon)', qpvCode: 'QN03102M' }))).toEqual(['CONFLICT']);
      expect(errorCodes(await registerDistrictAs(TEST_ADMIN, { name: 'Bagatelle (2015)', legacyQpvCode: 'QP031003' }))).toEqual([
        'CONFLICT',
      ]);
      expect(await count('districts')).toBe(before);
    });

    it('allows any number of districts without a QPV code', async () => {
      dataOf(await registerDistrictAs(TEST_ADMIN, { name: 'Secteur en veille A' }));
      dataOf(await registerDistrictAs(TEST_ADMIN, { name: 'Secteur en veille B', qpvCode: null, legacyQpvCode: '' }));
    });
  });

  describe('registerBuilding', () => {
    it("lets a landlord's staff register a building of their own landlord, with its address, location and entrances", async () => {
      const { registerBuilding } = dataOf(
        await registerBuildingAs(staffOf(chalets), {
          address: address(' de Bellefontaine ', { repetition: 'bis', postcode: '31100' }),
          location: { latitude: 43.5717, longitude: 1.3915 },
          constructionYear: 1968,
          hasLift: true,
          entrances: ['A', 'B', ' A '],
        }),
      );
      expect(registerBuilding).toMatchObject({
        landlord: { id: chalets },
        district: { id: mirail },
        estate: null,
        constructionYear: 1968,
        hasLift: true,
        location: { latitude: 43.5717, longitude: 1.3915 },
        address: {
          number: '12',
          repetition: 'bis',
          streetType: 'allée',
          streetName: 'de Bellefontaine',
          postcode: '31100',
          communeCode: '31555',
          label: '12 bis allée de Bellefontaine',
        },
      });
      expect(registerBuilding.entrances.map((entrance) => entrance.label)).toEqual(['A', 'B']);
      expect(new Set(registerBuilding.entrances.map((entrance) => entrance.id)).size).toBe(2);
    });

    it("refuses staff registering their landlord's first building in a district: an admin does that", async () => {
      const before = await count('buildings');
      const elsewhere = await registerDistrict(graph, 'Bagatelle');
      const refused = await registerBuildingAs(staffOf(chalets), { districtId: elsewhere, address: address('de Bagatelle') });
      // A district where their landlord has no buildings is not one they know of: as one that does not exist.
      expect(errorCodes(refused)).toEqual(['NOT_FOUND']);
      expect(await count('buildings')).toBe(before);
    });

    it('refuses staff acting for another landlord, coordinators and partners: FORBIDDEN, nothing written', async () => {
      const before = await count('buildings');
      const refusals = [
        await registerBuildingAs(staffOf(languedocienne), { address: address('Van Dyck') }),
        await registerBuildingAs(coordinatorOf(mirail), { address: address('Van Dyck') }),
        await registerBuildingAs(partnerStaff(regie), { address: address('Van Dyck') }),
      ];
      expect(refusals.map(errorCodes)).toEqual([['FORBIDDEN'], ['FORBIDDEN'], ['FORBIDDEN']]);
      expect(await count('buildings')).toBe(before);
    });

    it('lets an admin register for any landlord, in a Corsican commune too', async () => {
      const { registerBuilding } = dataOf(
        await registerBuildingAs(TEST_ADMIN, {
          landlordId: languedocienne,
          address: address('des Salines', { communeCode: '2A004', postcode: '20090' }),
        }),
      );
      expect(registerBuilding).toMatchObject({ landlord: { id: languedocienne }, address: { communeCode: '2A004' } });
    });

    it('answers NOT_FOUND for an unknown district or landlord', async () => {
      const unknownDistrict = await registerBuildingAs(TEST_ADMIN, { districtId: 'no-such-district', address: address('Kiev') });
      expect(errorCodes(unknownDistrict)).toEqual(['NOT_FOUND']);
      expect(unknownDistrict.errors![0]!.extensions).toMatchObject({ typeName: 'District', id: 'no-such-district' });
      expect(errorCodes(await registerBuildingAs(TEST_ADMIN, { landlordId: 'no-such-landlord', address: address('Kiev') }))).toEqual([
        'NOT_FOUND',
      ]);
    });

    it('refuses a second building of the landlord at the same address, whatever its case, accents and spacing', async () => {
      dataOf(await registerBuildingAs(TEST_ADMIN, { address: address('de la Faourette', { repetition: 'bis' }) }));
      const before = await count('buildings');
      const variants = [
        address('DE LA FAOURETTE', { repetition: 'BIS' }),
        address('de  la   Faourette', { repetition: 'bis', streetType: 'Allée' }),
        address('dé la Fäourette', { repetition: ' bis ', streetType: 'ALLEE' }),
        address('de la Faourette ', { repetition: 'bis', streetType: 'allée', postcode: '31100' }),
      ];
      for (const variant of variants) {
        const response = await registerBuildingAs(TEST_ADMIN, { address: variant });
        expect(errorCodes(response)).toEqual(['CONFLICT']);
      }
      expect(await count('buildings')).toBe(before);
      // Another number, or another landlord at the same address, is another building.
      dataOf(await registerBuildingAs(TEST_ADMIN, { address: address('de la Faourette', { number: '14', repetition: 'bis' }) }));
      dataOf(
        await registerBuildingAs(TEST_ADMIN, { landlordId: languedocienne, address: address('de la Faourette', { repetition: 'bis' }) }),
      );
    });

    it('creates an estate on first use of its name and reuses it after', async () => {
      const estatesBefore = await count('estates');
      const first = dataOf(
        await registerBuildingAs(TEST_ADMIN, { estateName: 'Résidence Reynerie', address: address('de Kiev') }),
      ).registerBuilding;
      const second = dataOf(
        await registerBuildingAs(staffOf(chalets), { estateName: ' Résidence Reynerie ', address: address('de Varsovie') }),
      ).registerBuilding;
      expect(second.estate!.id).toBe(first.estate!.id);
      expect(second.estate?.name).toBe('Résidence Reynerie');
      expect(second.estate?.buildings.map((building) => building.id).sort()).toEqual([first.id, second.id].sort());
      expect(await count('estates')).toBe(estatesBefore + 1);
      // The name belongs to the landlord: another landlord's estate of the same name is its own.
      const other = dataOf(
        await registerBuildingAs(TEST_ADMIN, { landlordId: languedocienne, estateName: 'Résidence Reynerie', address: address('de Kiev') }),
      ).registerBuilding;
      expect(other.estate!.id).not.toBe(first.estate!.id);
      expect(await count('estates')).toBe(estatesBefore + 2);
    });

    it('creates no estate for a building it refuses', async () => {
      dataOf(await registerBuildingAs(TEST_ADMIN, { address: address('de Prague') }));
      const [estates, buildings] = [await count('estates'), await count('buildings')];
      const duplicate = await registerBuildingAs(TEST_ADMIN, { estateName: 'Les Pradettes', address: address('de Prague') });
      expect(errorCodes(duplicate)).toEqual(['CONFLICT']);
      expect([await count('estates'), await count('buildings')]).toEqual([estates, buildings]);
    });

    it('wants WGS84 coordinates', async () => {
      for (const location of [
        { latitude: 90.01, longitude: 1 },
        { latitude: -91, longitude: 1 },
        { latitude: 43, longitude: 180.5 },
        { latitude: 43, longitude: -181 },
      ]) {
        expect(refusedField(await registerBuildingAs(TEST_ADMIN, { address: address('des Bornes'), location }))).toBe('location');
      }
      const edge = dataOf(
        await registerBuildingAs(TEST_ADMIN, { address: address('des Bornes'), location: { latitude: -90, longitude: 180 } }),
      );
      expect(edge.registerBuilding.location).toEqual({ latitude: -90, longitude: 180 });
    });

    it('wants a construction year from 1800 to five years ahead', async () => {
      const nextAllowed = new Date().getFullYear() + 5;
      for (const constructionYear of [1799, nextAllowed + 1, -1968]) {
        expect(refusedField(await registerBuildingAs(TEST_ADMIN, { address: address('des Années'), constructionYear }))).toBe(
          'constructionYear',
        );
      }
      for (const [index, constructionYear] of [1800, nextAllowed].entries()) {
        const { registerBuilding } = dataOf(
          await registerBuildingAs(TEST_ADMIN, { address: address(`des Années ${index}`), constructionYear }),
        );
        expect(registerBuilding.constructionYear).toBe(constructionYear);
      }
    });

    it('wants entrance labels of 1 to 20 characters', async () => {
      for (const entrances of [[''], ['A', '  '], ['Entrée principale côté parc']]) {
        expect(refusedField(await registerBuildingAs(TEST_ADMIN, { address: address('des Entrées'), entrances }))).toBe('entrances');
      }
    });

    it('takes a blank postcode as none and trims the others, as every optional part of an address', async () => {
      const blank = dataOf(
        await registerBuildingAs(TEST_ADMIN, { address: address('du Lac', { postcode: '', number: ' ', repetition: '' }) }),
      );
      expect(blank.registerBuilding.address).toMatchObject({ postcode: null, number: null, repetition: null, label: 'allée du Lac' });
      const spaced = dataOf(await registerBuildingAs(TEST_ADMIN, { address: address('du Lac', { postcode: ' 31100 ' }) }));
      expect(spaced.registerBuilding.address.postcode).toBe('31100');
    });

    it('checks the address: code INSEE, postcode, street name', async () => {
      expect(refusedField(await registerBuildingAs(TEST_ADMIN, { address: address('du Lac', { communeCode: '315' }) }))).toBe(
        'address.communeCode',
      );
      expect(refusedField(await registerBuildingAs(TEST_ADMIN, { address: address('du Lac', { postcode: '3110' }) }))).toBe(
        'address.postcode',
      );
      expect(refusedField(await registerBuildingAs(TEST_ADMIN, { address: address('  ') }))).toBe('address.streetName');
    });
  });

  describe('registerDwellings', () => {
    let building: string;

    const dwelling = (reference: string, extra: Record<string, unknown> = {}) => ({ reference, rooms: 3, ...extra });

    beforeAll(async () => {
      building = await registerBuilding(graph, chalets, mirail, 'de la Reynerie');
    });

    it("registers a building's dwellings with their RPLS facts", async () => {
      const { registerDwellings } = dataOf(
        await registerDwellingsAs(staffOf(chalets), building, [
          dwelling('GDC-0001', {
            rooms: 4,
            surface: 72.5,
            floor: 0,
            financing: 'PLUS',
            energyClass: 'D',
            constructionType: 'COLLECTIVE',
            rentCents: 48_250,
          }),
          dwelling('GDC-0002', { rooms: 2 }),
        ]),
      );
      expect(registerDwellings).toEqual([
        {
          id: expect.any(String),
          rooms: 4,
          surface: 72.5,
          floor: 0,
          financing: 'PLUS',
          energyClass: 'D',
          constructionType: 'COLLECTIVE',
          rentCents: 48_250,
          building: { id: building },
        },
        {
          id: expect.any(String),
          rooms: 2,
          surface: null,
          floor: null,
          financing: null,
          energyClass: null,
          constructionType: null,
          rentCents: null,
          building: { id: building },
        },
      ]);
    });

    it('writes all of a batch or none of it: one bad dwelling refuses the batch', async () => {
      const before = await count('dwellings');
      const bad: [Record<string, unknown>, string][] = [
        [{ rooms: 0 }, 'dwellings[2].rooms'],
        [{ rooms: 21 }, 'dwellings[2].rooms'],
        [{ surface: 0 }, 'dwellings[2].surface'],
        [{ surface: 1000 }, 'dwellings[2].surface'],
        [{ floor: 101 }, 'dwellings[2].floor'],
        [{ rentCents: -1 }, 'dwellings[2].rentCents'],
        [{ reference: ' ' }, 'dwellings[2].reference'],
      ];
      for (const [fault, field] of bad) {
        const response = await registerDwellingsAs(TEST_ADMIN, building, [
          dwelling('GDC-0101'),
          dwelling('GDC-0102'),
          dwelling('GDC-0103', fault),
        ]);
        expect(refusedField(response)).toBe(field);
      }
      expect(await count('dwellings')).toBe(before);
    });

    it('updates a dwelling registered again under its reference instead of adding one', async () => {
      const [first] = dataOf(
        await registerDwellingsAs(TEST_ADMIN, building, [dwelling('GDC-0201', { rooms: 3, energyClass: 'F' })]),
      ).registerDwellings;
      const before = await count('dwellings');
      const [again] = dataOf(
        await registerDwellingsAs(staffOf(chalets), building, [dwelling(' GDC-0201 ', { rooms: 4, energyClass: 'C' })]),
      ).registerDwellings;
      expect(again).toMatchObject({ id: first!.id, rooms: 4, energyClass: 'C' });
      expect(await count('dwellings')).toBe(before);
      const stored = await graph.db.collection('dwellings').findOne({ _id: first!.id as never });
      expect(stored?.audit).toMatchObject({ createdBy: TEST_ADMIN.sub, updatedBy: staffOf(chalets).sub });
    });

    it('refuses a reference given twice in one batch, spacing aside, and writes nothing', async () => {
      const before = await count('dwellings');
      const response = await registerDwellingsAs(TEST_ADMIN, building, [dwelling('GDC-0301'), dwelling('GDC-0302'), dwelling('GDC-0301 ')]);
      expect(refusedField(response)).toBe('dwellings[2].reference');
      expect(await count('dwellings')).toBe(before);
    });

    it("refuses another landlord's staff, coordinators and partners", async () => {
      const before = await count('dwellings');
      for (const caller of [staffOf(languedocienne), coordinatorOf(mirail), partnerStaff(regie)]) {
        expect(errorCodes(await registerDwellingsAs(caller, building, [dwelling('GDC-0401')]))).toEqual(['FORBIDDEN']);
      }
      expect(await count('dwellings')).toBe(before);
    });

    it('answers NOT_FOUND for an unknown building', async () => {
      expect(errorCodes(await registerDwellingsAs(TEST_ADMIN, 'no-such-building', [dwelling('X-1')]))).toEqual(['NOT_FOUND']);
    });

    it('takes at most 1,000 dwellings at a time', async () => {
      const before = await count('dwellings');
      const tooMany = Array.from({ length: 1001 }, (_, index) => dwelling(`BULK-${index}`));
      expect(refusedField(await registerDwellingsAs(TEST_ADMIN, building, tooMany))).toBe('dwellings');
      expect(await count('dwellings')).toBe(before);
    });
  });
});
