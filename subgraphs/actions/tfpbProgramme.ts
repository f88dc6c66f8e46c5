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
import { reportFrom, requireReportingYear } from './tfpbReport';
import { districtFigures, programmeFigures, requireRoomInTable } from './tfpbTableLimit';

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
  const restOfDistrict = await districtFigures(context, scope.districtId, scope.year, landlordId);
  const programme = await context.store.tfpbProgrammes.change(
    scope,
    expectedVersion,
    (current) => {
      if (entryId !== undefined && !current.entries.some((entry) => entry.id === entryId)) {
        throw badInput(`The programme has no line ${entryId}.`, 'entryId');
      }
      const change = changeOf(current);
      requireRoomInTable(
        restOfDistrict,
        programmeFigures(current),
        programmeFigures({ ...current, ...change }),
        'abatementCents' in change ? 'abatementCents' : 'entry',
      );
      return change;
    },
    context.caller,
  );
  return reportFrom(context, scope, programme);
}
