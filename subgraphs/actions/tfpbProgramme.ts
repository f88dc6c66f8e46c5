import { badInput } from '../shared/errors';
import { newId } from '../shared/records';
import { optionalText, requireIntInRange, requirePositiveAmount, requireText } from '../shared/validate';
import type { ProgrammeChange } from './data/tfpbProgrammes';
import type { Context } from './index';
import type {
  MutationAddTfpbEntryArgs,
  MutationRemoveTfpbEntryArgs,
  MutationSetTfpbAbatementArgs,
  MutationUpdateTfpbEntryArgs,
  TfpbEntryInput,
  TfpbScopeInput,
} from './generated/resolvers';
import type { TfpbEntryModel, TfpbProgrammeDocument, TfpbReportModel, TfpbScope } from './model';
import { requireLandlordAndDistrict } from './references';
import { reportFrom, reportingYear, requireReportingYear } from './tfpbReport';

/**
 * A landlord's TFPB programme is its own: its staff (admins naming the landlord) enter the abatement and the lines,
 * in a district where it has buildings. Each change answers with the report as it now stands.
 */

export async function setTfpbAbatement(context: Context, args: MutationSetTfpbAbatementArgs): Promise<TfpbReportModel> {
  const abatementCents = requirePositiveAmount(args.abatementCents, 'abatementCents');
  const dwellingCount =
    args.dwellingCount === null || args.dwellingCount === undefined
      ? null
      : requireIntInRange(args.dwellingCount, 'dwellingCount', 0, 1_000_000);
  return changeProgramme(context, args.scope, args.expectedVersion, () => ({ abatementCents, dwellingCount }));
}

export async function addTfpbEntry(context: Context, args: MutationAddTfpbEntryArgs): Promise<TfpbReportModel> {
  const entry = validEntry(newId(), args.entry);
  return changeProgramme(context, args.scope, args.expectedVersion, (programme) => {
    if (programme.entries.length >= MAX_ENTRIES) throw badInput(`A programme holds at most ${MAX_ENTRIES} lines.`, 'entry');
    return { entries: [...programme.entries, entry] };
  });
}

export async function updateTfpbEntry(context: Context, args: MutationUpdateTfpbEntryArgs): Promise<TfpbReportModel> {
  const entry = validEntry(args.entryId, args.entry);
  return changeProgramme(
    context,
    args.scope,
    args.expectedVersion,
    (programme) => ({
      entries: programme.entries.map((existing) => (existing.id === entry.id ? entry : existing)),
    }),
    args.entryId,
  );
}

export async function removeTfpbEntry(context: Context, args: MutationRemoveTfpbEntryArgs): Promise<TfpbReportModel> {
  return changeProgramme(
    context,
    args.scope,
    args.expectedVersion,
    (programme) => ({
      entries: programme.entries.filter((existing) => existing.id !== args.entryId),
    }),
    args.entryId,
  );
}

const MAX_ENTRIES = 200;

function validEntry(id: string, input: TfpbEntryInput): TfpbEntryModel {
  return {
    id,
    axis: input.axis,
    label: requireText(input.label, 'entry.label'),
    plannedCents: requirePositiveAmount(input.plannedCents ?? 0, 'entry.plannedCents'),
    spentCents: requirePositiveAmount(input.spentCents ?? 0, 'entry.spentCents'),
    coFinancingCents: requirePositiveAmount(input.coFinancingCents ?? 0, 'entry.coFinancingCents'),
    coFinancers: optionalText(input.coFinancers, 'entry.coFinancers', 200),
  };
}

/** Checks who acts and where, applies the change to the version its author read, and reports the result. */
async function changeProgramme(
  context: Context,
  input: TfpbScopeInput,
  expectedVersion: number,
  changeOf: (programme: TfpbProgrammeDocument) => ProgrammeChange,
  entryId?: string,
): Promise<TfpbReportModel> {
  const landlordId = context.access.actingLandlord(input.landlordId);
  const scope: TfpbScope = { landlordId, districtId: input.districtId, year: requireReportingYear(input.year) };
  await requireLandlordAndDistrict(context, landlordId, scope.districtId);
  await context.access.assertLandlordOfDistrict(landlordId, scope.districtId);
  const restOfDistrict = await districtFiguresBeside(context, scope);
  const programme = await context.store.tfpbProgrammes.change(
    scope,
    expectedVersion,
    (current) => {
      if (entryId !== undefined && !current.entries.some((entry) => entry.id === entryId)) {
        throw badInput(`The programme has no line ${entryId}.`, 'entryId');
      }
      const change = changeOf(current);
      requireTableFigures(restOfDistrict, figuresOf({ ...current, ...change }));
      return change;
    },
    context.caller,
  );
  return reportFrom(context, scope, programme);
}

/** The sums a district's TFPB table shows, in euro cents. */
interface TableFigures {
  abatementCents: number;
  plannedCents: number;
  spentCents: number;
  coFinancingCents: number;
}

/** The largest figure the API's Int carries (21,474,836.47 €): every total of a report or a table must stay within it. */
const LARGEST_FIGURE_CENTS = 2 ** 31 - 1;

function figuresOf(programme: Pick<TfpbProgrammeDocument, 'abatementCents' | 'entries'>): TableFigures {
  const total = (pick: (entry: TfpbEntryModel) => number) => programme.entries.reduce((sum, entry) => sum + pick(entry), 0);
  return {
    abatementCents: programme.abatementCents ?? 0,
    plannedCents: total((entry) => entry.plannedCents),
    spentCents: total((entry) => entry.spentCents),
    coFinancingCents: total((entry) => entry.coFinancingCents),
  };
}

/** What the district's table of the year adds up besides the landlord's programme: the other programmes and the joint actions. */
async function districtFiguresBeside(context: Context, scope: TfpbScope): Promise<TableFigures> {
  const { since, until } = reportingYear(scope.year);
  const [programmes, jointActions] = await Promise.all([
    context.store.tfpbProgrammes.ofDistrict(scope.districtId, scope.year),
    context.store.actions.tfpbTotalsOfDistrict(scope.districtId, since, until),
  ]);
  const others = programmes.filter((programme) => programme.landlordId !== scope.landlordId).map(figuresOf);
  const jointCostCents = jointActions.reduce((sum, line) => sum + line.costCents, 0);
  return others.reduce(
    (sum, figures) => ({
      abatementCents: sum.abatementCents + figures.abatementCents,
      plannedCents: sum.plannedCents + figures.plannedCents,
      spentCents: sum.spentCents + figures.spentCents,
      coFinancingCents: sum.coFinancingCents + figures.coFinancingCents,
    }),
    { abatementCents: 0, plannedCents: 0, spentCents: jointCostCents, coFinancingCents: 0 },
  );
}

/**
 * A change that would take the district's table (and so the landlord's report, a part of it) past the largest figure
 * is refused: written, it would leave both unreadable, for every landlord of the district and its coordinators.
 */
function requireTableFigures(rest: TableFigures, programme: TableFigures): void {
  for (const figure of ['abatementCents', 'plannedCents', 'spentCents', 'coFinancingCents'] as const) {
    if (rest[figure] + programme[figure] > LARGEST_FIGURE_CENTS) {
      throw badInput(
        "This change would take the district's TFPB table past 21,474,836.47 €, the largest amount it carries: check the amounts entered.",
        figure === 'abatementCents' ? 'abatementCents' : 'entry',
      );
    }
  }
}
