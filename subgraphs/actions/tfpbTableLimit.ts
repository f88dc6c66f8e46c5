import { badInput } from '../shared/errors';
import type { Context } from './index';
import type { TfpbProgrammeDocument } from './model';
import { reportingYear } from './tfpbReport';

/**
 * The figures of a district's TFPB table are the API's Int: a sum past 2^31 - 1 cents (21,474,836.47 €) would leave the
 * table, and the reports that are parts of it, unreadable for every landlord of the district and its coordinators. So
 * the writes that feed it (a landlord's programme, a joint action's completion) are refused beyond it instead.
 */

/** The sums a district's TFPB table shows, in euro cents. */
export interface TableFigures {
  abatementCents: number;
  plannedCents: number;
  spentCents: number;
  coFinancingCents: number;
}

const LARGEST_FIGURE_CENTS = 2 ** 31 - 1;

export const NO_FIGURES: TableFigures = { abatementCents: 0, plannedCents: 0, spentCents: 0, coFinancingCents: 0 };

export function programmeFigures(programme: Pick<TfpbProgrammeDocument, 'abatementCents' | 'entries'>): TableFigures {
  const total = (pick: (entry: TfpbProgrammeDocument['entries'][number]) => number) =>
    programme.entries.reduce((sum, entry) => sum + pick(entry), 0);
  return {
    abatementCents: programme.abatementCents ?? 0,
    plannedCents: total((entry) => entry.plannedCents),
    spentCents: total((entry) => entry.spentCents),
    coFinancingCents: total((entry) => entry.coFinancingCents),
  };
}

/** The district's table of the year as it stands: every landlord's programme but `exceptLandlordId`'s, and the joint actions. */
export async function districtFigures(
  context: Context,
  districtId: string,
  year: number,
  exceptLandlordId?: string,
): Promise<TableFigures> {
  const { since, until } = reportingYear(year);
  const [programmes, jointActions] = await Promise.all([
    context.store.tfpbProgrammes.ofDistrict(districtId, year),
    context.store.actions.tfpbTotalsOfDistrict(districtId, since, until),
  ]);
  const jointCostCents = jointActions.reduce((sum, line) => sum + line.costCents, 0);
  return programmes
    .filter((programme) => programme.landlordId !== exceptLandlordId)
    .map(programmeFigures)
    .reduce(addFigures, { ...NO_FIGURES, spentCents: jointCostCents });
}

/**
 * Refuses (BAD_USER_INPUT, on `field`) a write that takes a part of the table from `before` to `after` when a figure
 * it raises would go past the largest; one that lowers figures always passes, so that an oversized table can be mended.
 */
export function requireRoomInTable(table: TableFigures, before: TableFigures, after: TableFigures, field?: string): void {
  const figures = Object.keys(table) as (keyof TableFigures)[];
  if (figures.some((figure) => after[figure] > before[figure] && table[figure] + after[figure] > LARGEST_FIGURE_CENTS)) {
    throw badInput(
      "This would take the district's TFPB table past 21,474,836.47 €, the largest amount it carries: check the amounts.",
      field,
    );
  }
}

function addFigures(a: TableFigures, b: TableFigures): TableFigures {
  return {
    abatementCents: a.abatementCents + b.abatementCents,
    plannedCents: a.plannedCents + b.plannedCents,
    spentCents: a.spentCents + b.spentCents,
    coFinancingCents: a.coFinancingCents + b.coFinancingCents,
  };
}
