import { Kind } from 'graphql';
import { loadSubgraphSdl } from '../../shared/subgraphDefinition';
import { csvText } from '../../shared/csv';
import { euros } from '../tfpbCsv';
import { TFPB_AXES, assembleTfpbReport, reportingYear } from '../tfpbReport';

describe('the TFPB report', () => {
  it('lists the axes in the order of the SDL enum', () => {
    const enumType = loadSubgraphSdl('actions').definitions.find(
      (definition) => definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'TfpbAxis',
    );
    const sdlOrder = enumType?.kind === Kind.ENUM_TYPE_DEFINITION ? enumType.values?.map((value) => value.name.value) : [];
    expect(TFPB_AXES).toEqual(sdlOrder);
  });

  it('lists every axis, those without actions at zero, and totals the costs', () => {
    const report = assembleTfpbReport({ landlordId: 'L', districtId: 'D', year: 2025 }, [
      { axis: 'SOCIAL_LIFE', actionCount: 2, costCents: 150_00, participants: 40 },
      { axis: 'PROXIMITY_STAFF', actionCount: 1, costCents: 30_00, participants: 0 },
    ]);
    expect(report.axes).toHaveLength(8);
    expect(report.axes[0]).toMatchObject({ axis: 'PROXIMITY_STAFF', actionCount: 1, costCents: 30_00, participants: 0 });
    expect(report.axes[6]).toMatchObject({ axis: 'SOCIAL_LIFE', actionCount: 2, costCents: 150_00, participants: 40 });
    expect(report.axes[1]).toMatchObject({ axis: 'STAFF_TRAINING', actionCount: 0, costCents: 0, participants: 0 });
    expect(report.totalCostCents).toBe(180_00);
    expect(report).toMatchObject({ landlordId: 'L', districtId: 'D', year: 2025 });
  });

  it("adds the landlord's own lines to its joint actions, against the abatement, per dwelling, with the co-financing leverage", () => {
    const entry = (axis: 'PROXIMITY_STAFF' | 'SOCIAL_LIFE', plannedCents: number, spentCents: number, coFinancingCents: number) => ({
      id: `${axis}-${plannedCents}`,
      axis,
      label: 'Ligne',
      plannedCents,
      spentCents,
      coFinancingCents,
      coFinancers: null,
    });
    const report = assembleTfpbReport(
      { landlordId: 'L', districtId: 'D', year: 2025 },
      [{ axis: 'SOCIAL_LIFE', actionCount: 2, costCents: 150_00, participants: 40 }],
      {
        abatementCents: 10_000_00,
        dwellingCount: null,
        version: 3,
        entries: [entry('PROXIMITY_STAFF', 6_000_00, 5_500_00, 0), entry('SOCIAL_LIFE', 1_000_00, 850_00, 500_00)],
      },
      200,
    );
    expect(report.axes[0]).toMatchObject({
      axis: 'PROXIMITY_STAFF',
      costCents: 0,
      plannedCents: 6_000_00,
      spentCents: 5_500_00,
      coFinancingCents: 0,
    });
    expect(report.axes[6]).toMatchObject({
      axis: 'SOCIAL_LIFE',
      costCents: 150_00,
      plannedCents: 1_000_00,
      spentCents: 1_000_00,
      coFinancingCents: 500_00,
    });
    expect(report).toMatchObject({
      totalCostCents: 150_00,
      totalPlannedCents: 7_000_00,
      totalSpentCents: 6_500_00,
      totalCoFinancingCents: 500_00,
      spendingToAbatement: 0.65,
      dwellingCount: 200,
      spentPerDwellingCents: 32_50,
      version: 3,
    });
    expect(report.coFinancingLeverage).toBeCloseTo(500 / 6_500);
    expect(report.csv.split('\r\n')[0]).toBe('Axe;Prévisionnel (€);Réalisé (€);dont actions communes (€);Cofinancements (€)');
    expect(report.csv).toContain('Animation, lien social, vivre ensemble;1000,00;1000,00;150,00;500,00\r\n');
    expect(report.csv).toContain('Total;7000,00;6500,00;150,00;500,00\r\n');
  });

  it('has no ratio without an abatement, no per-dwelling figure without dwellings, no leverage without spending', () => {
    const report = assembleTfpbReport({ landlordId: 'L', districtId: 'D', year: 2025 }, []);
    expect(report).toMatchObject({
      abatementCents: null,
      spendingToAbatement: null,
      spentPerDwellingCents: null,
      coFinancingLeverage: null,
      version: 0,
    });
  });

  it('writes CSV for French spreadsheets, quoting what must be and defusing formulas', () => {
    expect(euros(123456)).toBe('1234,56');
    expect(euros(5)).toBe('0,05');
    expect(csvText([['a;b', 'dit "oui"', '=HYPERLINK("x")', '-12,50']])).toBe(`"a;b";"dit ""oui""";"'=HYPERLINK(""x"")";-12,50\r\n`);
    expect(csvText([['-1+1|cmd', '-3', '\t=1', '12', '0,50']])).toBe(`'-1+1|cmd;-3;'\t=1;12;0,50\r\n`);
  });

  it('reads a year as [1 January, next 1 January) in UTC', () => {
    expect(reportingYear(2025)).toEqual({ since: new Date('2025-01-01T00:00:00Z'), until: new Date('2026-01-01T00:00:00Z') });
  });
});
