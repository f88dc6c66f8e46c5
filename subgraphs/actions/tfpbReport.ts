import { requireIntInRange } from '../shared/validate';
import type { Context } from './context';
import type { TfpbAxisTotals } from './data/actions';
import type { QueryTfpbReportArgs, TfpbAxis, TfpbAxisLine } from './generated/resolvers';
import type { TfpbReportModel } from './model';
import { requireLandlordAndDistrict } from './references';

/** The eight TFPB axes in the order of the national framework (and of the SDL's enum): a report lists them all. */
export const TFPB_AXES: readonly TfpbAxis[] = [
  'PROXIMITY_STAFF',
  'STAFF_TRAINING',
  'EXTRA_MAINTENANCE',
  'WASTE_AND_BULKY_ITEMS',
  'RESIDENTIAL_TRANQUILLITY',
  'TENANT_CONSULTATION',
  'SOCIAL_LIFE',
  'SMALL_WORKS',
];

/** A reporting year as instants, [1 January, next 1 January), in UTC. */
export function reportingYear(year: number): { since: Date; until: Date } {
  return { since: new Date(Date.UTC(year, 0, 1)), until: new Date(Date.UTC(year + 1, 0, 1)) };
}

/**
 * A landlord's TFPB reporting for a district and year, from the actions it organised and completed that year: for its
 * own staff, the district's coordinators and admins.
 */
export async function tfpbReportOf(context: Context, { landlordId, districtId, year }: QueryTfpbReportArgs): Promise<TfpbReportModel> {
  context.access.assertCanSeeReportOf(landlordId, districtId);
  requireIntInRange(year, 'year', 2000, 2100);
  await requireLandlordAndDistrict(context, landlordId, districtId);
  const { since, until } = reportingYear(year);
  return assembleTfpbReport({ landlordId, districtId, year }, await context.store.actions.tfpbTotals(landlordId, districtId, since, until));
}

/** The report from the per-axis totals MongoDB counted: every axis listed, those without actions at zero. */
export function assembleTfpbReport(
  scope: { landlordId: string; districtId: string; year: number },
  totals: readonly TfpbAxisTotals[],
): TfpbReportModel {
  const byAxis = new Map(totals.map((line) => [line.axis, line]));
  const axes: TfpbAxisLine[] = TFPB_AXES.map((axis) => {
    const line = byAxis.get(axis);
    return { axis, actionCount: line?.actionCount ?? 0, costCents: line?.costCents ?? 0, participants: line?.participants ?? 0 };
  });
  return { ...scope, axes, totalCostCents: axes.reduce((sum, line) => sum + line.costCents, 0) };
}
