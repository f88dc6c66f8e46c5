import { Kind } from 'graphql';
import { loadSubgraphSdl } from '../../shared/subgraphDefinition';
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
    expect(report.axes[0]).toEqual({ axis: 'PROXIMITY_STAFF', actionCount: 1, costCents: 30_00, participants: 0 });
    expect(report.axes[6]).toEqual({ axis: 'SOCIAL_LIFE', actionCount: 2, costCents: 150_00, participants: 40 });
    expect(report.axes[1]).toEqual({ axis: 'STAFF_TRAINING', actionCount: 0, costCents: 0, participants: 0 });
    expect(report.totalCostCents).toBe(180_00);
    expect(report).toMatchObject({ landlordId: 'L', districtId: 'D', year: 2025 });
  });

  it('reads a year as [1 January, next 1 January) in UTC', () => {
    expect(reportingYear(2025)).toEqual({ since: new Date('2025-01-01T00:00:00Z'), until: new Date('2026-01-01T00:00:00Z') });
  });
});
