import { requireIntInRange } from '../shared/validate';
import type { TfpbAxisTotals } from './data/actions';
import type { QueryTfpbDistrictTableArgs, QueryTfpbReportArgs, TfpbAxis, TfpbAxisLine } from './generated/resolvers';
import type { Context } from './index';
import type {
  TfpbAxisTotalsModel,
  TfpbDistrictTableModel,
  TfpbLandlordTotalsModel,
  TfpbProgrammeDocument,
  TfpbReportModel,
  TfpbScope,
  TfpbTotalsModel,
} from './model';
import { requireLandlordAndDistrict } from './references';
import { csvText } from '../shared/csv';
import { euros, ratio } from './tfpbCsv';

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

/** The axes as the national framework names them, for the tables landlords and the comité de pilotage file. */
export const TFPB_AXIS_LABELS: Readonly<Record<TfpbAxis, string>> = {
  PROXIMITY_STAFF: 'Renforcement de la présence du personnel de proximité',
  STAFF_TRAINING: 'Formation et soutien des personnels de proximité',
  EXTRA_MAINTENANCE: 'Sur-entretien',
  WASTE_AND_BULKY_ITEMS: 'Gestion des déchets et encombrants, épaves',
  RESIDENTIAL_TRANQUILLITY: 'Tranquillité résidentielle',
  TENANT_CONSULTATION: 'Concertation, sensibilisation des locataires',
  SOCIAL_LIFE: 'Animation, lien social, vivre ensemble',
  SMALL_WORKS: "Petits travaux d'amélioration de la qualité de service",
};

/** A reporting year as instants, [1 January, next 1 January), in UTC. */
export function reportingYear(year: number): { since: Date; until: Date } {
  return { since: new Date(Date.UTC(year, 0, 1)), until: new Date(Date.UTC(year + 1, 0, 1)) };
}

export function requireReportingYear(year: number): number {
  return requireIntInRange(year, 'year', 2000, 2100);
}

/** A landlord's TFPB report for a district and year: for its own staff, the district's coordinators and admins. */
export async function tfpbReportOf(context: Context, { landlordId, districtId, year }: QueryTfpbReportArgs): Promise<TfpbReportModel> {
  context.access.assertCanSeeReportOf(landlordId, districtId);
  requireReportingYear(year);
  await requireLandlordAndDistrict(context, landlordId, districtId);
  const scope = { landlordId, districtId, year };
  return reportFrom(context, scope, await context.store.tfpbProgrammes.of(scope));
}

/** The report with `programme` as it stands (e.g. just written). */
export async function reportFrom(context: Context, scope: TfpbScope, programme: TfpbProgrammeDocument): Promise<TfpbReportModel> {
  const { since, until } = reportingYear(scope.year);
  const [jointActions, landlords] = await Promise.all([
    context.store.actions.tfpbTotals(scope.landlordId, scope.districtId, since, until),
    context.directory.landlordsOfDistrict(scope.districtId),
  ]);
  return assembleTfpbReport(scope, jointActions, programme, landlords.get(scope.landlordId) ?? 0);
}

/**
 * The report from the per-axis totals of the joint actions and the landlord's programme: every axis listed, those
 * without spending at zero. `housingDwellings` counts the dwellings when the programme does not say how many.
 */
export function assembleTfpbReport(
  scope: TfpbScope,
  jointActions: readonly TfpbAxisTotals[],
  programme: Pick<TfpbProgrammeDocument, 'abatementCents' | 'dwellingCount' | 'entries' | 'version'> = EMPTY,
  housingDwellings = 0,
): TfpbReportModel {
  const byAxis = new Map(jointActions.map((line) => [line.axis, line]));
  const axes: TfpbAxisLine[] = TFPB_AXES.map((axis) => {
    const line = byAxis.get(axis);
    const entries = programme.entries.filter((entry) => entry.axis === axis);
    const costCents = line?.costCents ?? 0;
    return {
      axis,
      actionCount: line?.actionCount ?? 0,
      costCents,
      participants: line?.participants ?? 0,
      plannedCents: sum(entries.map((entry) => entry.plannedCents)),
      spentCents: costCents + sum(entries.map((entry) => entry.spentCents)),
      coFinancingCents: sum(entries.map((entry) => entry.coFinancingCents)),
    };
  });
  const dwellingCount = programme.dwellingCount ?? housingDwellings;
  const totals = totalsOf(axes, programme.abatementCents, dwellingCount);
  return {
    ...scope,
    ...totals,
    axes,
    totalCostCents: sum(axes.map((line) => line.costCents)),
    abatementCents: programme.abatementCents,
    dwellingCount,
    entries: programme.entries,
    version: programme.version,
    csv: reportCsv(axes, totals),
  };
}

const EMPTY = { abatementCents: null, dwellingCount: null, entries: [], version: 0 };

/**
 * The comité de pilotage's table: every landlord with buildings in the district (and any that entered a programme
 * there), its totals by axis, and the district's. For the district's coordinators, admins and landlords' staff.
 */
export async function tfpbDistrictTableOf(
  context: Context,
  { districtId, year }: QueryTfpbDistrictTableArgs,
): Promise<TfpbDistrictTableModel> {
  await context.access.assertCanSeeDistrictReport(districtId);
  requireReportingYear(year);
  const { since, until } = reportingYear(year);
  const [programmes, jointActions, dwellingsOf] = await Promise.all([
    context.store.tfpbProgrammes.ofDistrict(districtId, year),
    context.store.actions.tfpbTotalsOfDistrict(districtId, since, until),
    context.directory.landlordsOfDistrict(districtId),
  ]);
  const landlordIds = [...new Set([...dwellingsOf.keys(), ...programmes.map((programme) => programme.landlordId)])];
  const names = new Map(
    (await Promise.all(landlordIds.map((id) => context.directory.landlords.load(id)))).flatMap((landlord) =>
      landlord ? [[landlord._id, landlord.name]] : [],
    ),
  );
  landlordIds.sort((a, b) => (names.get(a) ?? a).localeCompare(names.get(b) ?? b, 'fr'));
  const landlords: TfpbLandlordTotalsModel[] = landlordIds.map((landlordId) => {
    const report = assembleTfpbReport(
      { landlordId, districtId, year },
      jointActions.filter((line) => line.landlordId === landlordId),
      programmes.find((programme) => programme.landlordId === landlordId),
      dwellingsOf.get(landlordId) ?? 0,
    );
    return {
      landlordId,
      abatementCents: report.abatementCents,
      dwellingCount: report.dwellingCount,
      axes: report.axes.map(axisTotals),
      totalPlannedCents: report.totalPlannedCents,
      totalSpentCents: report.totalSpentCents,
      totalCoFinancingCents: report.totalCoFinancingCents,
      spendingToAbatement: report.spendingToAbatement,
      spentPerDwellingCents: report.spentPerDwellingCents,
      coFinancingLeverage: report.coFinancingLeverage,
    };
  });
  const axes = TFPB_AXES.map((axis, index) => ({
    axis,
    plannedCents: sum(landlords.map((landlord) => landlord.axes[index]!.plannedCents)),
    spentCents: sum(landlords.map((landlord) => landlord.axes[index]!.spentCents)),
    coFinancingCents: sum(landlords.map((landlord) => landlord.axes[index]!.coFinancingCents)),
  }));
  const totalAbatementCents = sum(landlords.map((landlord) => landlord.abatementCents ?? 0));
  const totalSpentCents = sum(axes.map((line) => line.spentCents));
  return {
    districtId,
    year,
    landlords,
    axes,
    totalAbatementCents,
    totalPlannedCents: sum(axes.map((line) => line.plannedCents)),
    totalSpentCents,
    totalCoFinancingCents: sum(axes.map((line) => line.coFinancingCents)),
    spendingToAbatement: totalAbatementCents > 0 ? totalSpentCents / totalAbatementCents : null,
    csv: districtCsv(landlords, axes, (landlordId) => names.get(landlordId) ?? landlordId),
  };
}

function totalsOf(axes: readonly TfpbAxisTotalsModel[], abatementCents: number | null, dwellingCount: number): TfpbTotalsModel {
  const totalSpentCents = sum(axes.map((line) => line.spentCents));
  const totalCoFinancingCents = sum(axes.map((line) => line.coFinancingCents));
  return {
    totalPlannedCents: sum(axes.map((line) => line.plannedCents)),
    totalSpentCents,
    totalCoFinancingCents,
    spendingToAbatement: abatementCents ? totalSpentCents / abatementCents : null,
    spentPerDwellingCents: dwellingCount > 0 ? Math.round(totalSpentCents / dwellingCount) : null,
    coFinancingLeverage: totalSpentCents > 0 ? totalCoFinancingCents / totalSpentCents : null,
  };
}

function axisTotals({ axis, plannedCents, spentCents, coFinancingCents }: TfpbAxisTotalsModel): TfpbAxisTotalsModel {
  return { axis, plannedCents, spentCents, coFinancingCents };
}

/** A landlord's table: one row per axis, then the total. */
function reportCsv(axes: readonly TfpbAxisLine[], totals: TfpbTotalsModel): string {
  return csvText([
    ['Axe', 'Prévisionnel (€)', 'Réalisé (€)', 'dont actions communes (€)', 'Cofinancements (€)'],
    ...axes.map((line) => [
      TFPB_AXIS_LABELS[line.axis],
      euros(line.plannedCents),
      euros(line.spentCents),
      euros(line.costCents),
      euros(line.coFinancingCents),
    ]),
    [
      'Total',
      euros(totals.totalPlannedCents),
      euros(totals.totalSpentCents),
      euros(sum(axes.map((line) => line.costCents))),
      euros(totals.totalCoFinancingCents),
    ],
  ]);
}

/** The comité's table: axes × landlords (spending), then each landlord's totals against its abatement. */
function districtCsv(
  landlords: readonly TfpbLandlordTotalsModel[],
  axes: readonly TfpbAxisTotalsModel[],
  nameOf: (landlordId: string) => string,
): string {
  const row = (label: string, cell: (landlord: TfpbLandlordTotalsModel) => string, total: string) => [label, ...landlords.map(cell), total];
  const totalOf = (pick: (landlord: TfpbLandlordTotalsModel) => number) => euros(sum(landlords.map(pick)));
  return csvText([
    ['Axe', ...landlords.map((landlord) => nameOf(landlord.landlordId)), 'Total'],
    ...axes.map((line, index) =>
      row(`Réalisé : ${TFPB_AXIS_LABELS[line.axis]}`, (landlord) => euros(landlord.axes[index]!.spentCents), euros(line.spentCents)),
    ),
    row(
      'Total réalisé (€)',
      (landlord) => euros(landlord.totalSpentCents),
      totalOf((landlord) => landlord.totalSpentCents),
    ),
    row(
      'Total prévisionnel (€)',
      (landlord) => euros(landlord.totalPlannedCents),
      totalOf((landlord) => landlord.totalPlannedCents),
    ),
    row(
      'Abattement TFPB (€)',
      (landlord) => (landlord.abatementCents === null ? '' : euros(landlord.abatementCents)),
      totalOf((landlord) => landlord.abatementCents ?? 0),
    ),
    row('Réalisé / abattement', (landlord) => ratio(landlord.spendingToAbatement), ''),
    row('Logements', (landlord) => String(landlord.dwellingCount), String(sum(landlords.map((landlord) => landlord.dwellingCount)))),
    row(
      'Réalisé par logement (€)',
      (landlord) => (landlord.spentPerDwellingCents === null ? '' : euros(landlord.spentPerDwellingCents)),
      '',
    ),
    row(
      'Cofinancements (€)',
      (landlord) => euros(landlord.totalCoFinancingCents),
      totalOf((landlord) => landlord.totalCoFinancingCents),
    ),
  ]);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
