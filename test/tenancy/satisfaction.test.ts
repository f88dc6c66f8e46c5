import type { Caller } from '../../lib/auth/caller';
import { registerDistrict } from '../support/housingFixtures';
import { type SharedDistrict, registerSharedDistrict } from '../support/tenancyFixtures';
import { type TestGraph, TEST_ADMIN, dataOf, errorCodes, startTestGraph } from '../support/testGraph';

const SURVEY_FIELDS = 'year landlord { id } district { id } themes { theme respondents satisfiedRate disclosure }';

interface SurveyResult {
  year: number;
  landlord: { id: string };
  district: { id: string };
  themes: { theme: string; respondents: number; satisfiedRate: number | null; disclosure: string }[];
}

describe('satisfaction surveys: scores shared with the district, withheld from others under 11 respondents', () => {
  let graph: TestGraph;
  let district: SharedDistrict;

  const record = (caller: Caller, input: Record<string, unknown>) =>
    graph.request<{ recordSatisfactionSurvey: SurveyResult }>(
      `mutation ($input: RecordSatisfactionSurveyInput!) { recordSatisfactionSurvey(input: $input) { ${SURVEY_FIELDS} } }`,
      {
        caller,
        variables: {
          input: {
            landlordId: district.owner.landlordId,
            districtId: district.districtId,
            year: 2025,
            scores: [{ theme: 'OVERALL', respondents: 120, satisfied: 90 }],
            ...input,
          },
        },
      },
    );
  const satisfaction = (caller: Caller, year?: number) =>
    graph.request<{ district: { satisfaction: SurveyResult[] } | null }>(
      `query ($id: ID!, $year: Int) { district(id: $id) { satisfaction(year: $year) { ${SURVEY_FIELDS} } } }`,
      { caller, variables: { id: district.districtId, year } },
    );
  const countSurveys = () => graph.db.collection('satisfactionSurveys').countDocuments();

  beforeAll(async () => {
    graph = await startTestGraph();
    district = await registerSharedDistrict(graph, 'Bagatelle');
  });

  afterAll(async () => {
    await graph.close();
  });

  it("records a landlord's survey: exact for the landlord, withheld from others under 11 respondents", async () => {
    const scores = [
      { theme: 'OVERALL', respondents: 120, satisfied: 96 },
      { theme: 'COMMON_AREAS_CLEANLINESS', respondents: 11, satisfied: 11 },
      { theme: 'NEIGHBOURHOOD_LIFE', respondents: 10, satisfied: 5 },
      { theme: 'REQUEST_HANDLING', respondents: 1, satisfied: 1 },
      { theme: 'INFORMATION', respondents: 0, satisfied: 0 },
    ];
    const survey = (themes: SurveyResult['themes']) => ({
      year: 2025,
      landlord: { id: district.owner.landlordId },
      district: { id: district.districtId },
      themes,
    });
    const exact = survey([
      { theme: 'OVERALL', respondents: 120, satisfiedRate: 0.8, disclosure: 'EXACT' },
      { theme: 'COMMON_AREAS_CLEANLINESS', respondents: 11, satisfiedRate: 1, disclosure: 'EXACT' },
      { theme: 'NEIGHBOURHOOD_LIFE', respondents: 10, satisfiedRate: 0.5, disclosure: 'EXACT' },
      { theme: 'REQUEST_HANDLING', respondents: 1, satisfiedRate: 1, disclosure: 'EXACT' },
      { theme: 'INFORMATION', respondents: 0, satisfiedRate: null, disclosure: 'EXACT' },
    ]);
    const shared = survey([
      { theme: 'OVERALL', respondents: 120, satisfiedRate: 0.8, disclosure: 'PUBLISHED' },
      { theme: 'COMMON_AREAS_CLEANLINESS', respondents: 11, satisfiedRate: 1, disclosure: 'PUBLISHED' },
      { theme: 'NEIGHBOURHOOD_LIFE', respondents: 10, satisfiedRate: null, disclosure: 'WITHHELD_SMALL_CELL' },
      { theme: 'REQUEST_HANDLING', respondents: 1, satisfiedRate: null, disclosure: 'WITHHELD_SMALL_CELL' },
      { theme: 'INFORMATION', respondents: 0, satisfiedRate: null, disclosure: 'WITHHELD_SMALL_CELL' },
    ]);
    expect(dataOf(await record(district.owner.staff, { scores })).recordSatisfactionSurvey).toEqual(exact);

    const coordinator: Caller = { role: 'COORDINATOR', sub: 'coordinator-bagatelle', districtIds: [district.districtId] };
    for (const caller of [district.neighbour.staff, coordinator]) {
      expect(dataOf(await satisfaction(caller)).district!.satisfaction).toEqual([shared]);
    }
    for (const caller of [district.owner.staff, TEST_ADMIN]) {
      expect(dataOf(await satisfaction(caller)).district!.satisfaction).toEqual([exact]);
    }
  });

  it('replaces the survey of the same landlord, district and year when it is recorded again', async () => {
    const before = await countSurveys();
    const again = dataOf(
      await record(TEST_ADMIN, { scores: [{ theme: 'OVERALL', respondents: 150, satisfied: 105 }] }),
    ).recordSatisfactionSurvey;
    expect(again.themes).toEqual([{ theme: 'OVERALL', respondents: 150, satisfiedRate: 0.7, disclosure: 'EXACT' }]);
    expect(await countSurveys()).toBe(before);
    expect(dataOf(await satisfaction(district.neighbour.staff, 2025)).district!.satisfaction).toEqual([
      { ...again, themes: [{ theme: 'OVERALL', respondents: 150, satisfiedRate: 0.7, disclosure: 'PUBLISHED' }] },
    ]);
  });

  it("lists the district's surveys newest first, or those of one year", async () => {
    dataOf(await record(district.owner.staff, { year: 2022, scores: [{ theme: 'OVERALL', respondents: 80, satisfied: 60 }] }));
    dataOf(
      await record(district.neighbour.staff, {
        landlordId: district.neighbour.landlordId,
        scores: [{ theme: 'DWELLING_QUALITY', respondents: 40, satisfied: 10 }],
      }),
    );
    const all = dataOf(await satisfaction(district.owner.staff)).district!.satisfaction;
    expect(all.map((survey) => survey.year)).toEqual([2025, 2025, 2022]);
    const of2022 = dataOf(await satisfaction(district.owner.staff, 2022)).district!.satisfaction;
    expect(of2022).toEqual([
      {
        year: 2022,
        landlord: { id: district.owner.landlordId },
        district: { id: district.districtId },
        themes: [{ theme: 'OVERALL', respondents: 80, satisfiedRate: 0.75, disclosure: 'EXACT' }],
      },
    ]);
  });

  describe('refuses, writing nothing', () => {
    it.each([
      ['more satisfied than respondents', { scores: [{ theme: 'OVERALL', respondents: 10, satisfied: 11 }] }, 'BAD_USER_INPUT'],
      ['negative respondents', { scores: [{ theme: 'OVERALL', respondents: -1, satisfied: 0 }] }, 'BAD_USER_INPUT'],
      [
        'a theme twice',
        {
          scores: [
            { theme: 'OVERALL', respondents: 10, satisfied: 1 },
            { theme: 'OVERALL', respondents: 12, satisfied: 2 },
          ],
        },
        'BAD_USER_INPUT',
      ],
      ['no theme', { scores: [] }, 'BAD_USER_INPUT'],
      ['a future year', { year: new Date().getUTCFullYear() + 1 }, 'BAD_USER_INPUT'],
      ['an unknown district', { districtId: 'no-such-district' }, 'NOT_FOUND'],
    ])('%s', async (_, input, code) => {
      const before = await countSurveys();
      expect(errorCodes(await record(TEST_ADMIN, { year: 2019, ...input }))).toEqual([code]);
      expect(await countSurveys()).toBe(before);
    });

    it("another landlord's staff or a coordinator recording for the landlord: FORBIDDEN", async () => {
      const before = await countSurveys();
      const coordinator: Caller = { role: 'COORDINATOR', sub: 'coordinator-bagatelle', districtIds: [district.districtId] };
      for (const caller of [district.neighbour.staff, coordinator]) {
        expect(errorCodes(await record(caller, { year: 2019 }))).toEqual(['FORBIDDEN']);
      }
      expect(await countSurveys()).toBe(before);
    });

    it('a district where the landlord has no buildings', async () => {
      const elsewhere = await registerDistrict(graph, 'Empalot');
      const response = await record(TEST_ADMIN, { districtId: elsewhere, year: 2019 });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    });
  });

  it('keeps the scores from callers outside the district', async () => {
    const outsider: Caller = { role: 'COORDINATOR', sub: 'coordinator-elsewhere', districtIds: ['another-district'] };
    const response = await satisfaction(outsider);
    expect(response.data?.district).toBeNull();
    expect(errorCodes(response)).toEqual([]);
  });
});
