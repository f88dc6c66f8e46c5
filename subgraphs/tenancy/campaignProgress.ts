import type { EntityReference } from '../shared/directory';
import { reference } from '../shared/directory';
import { SMALL_CELL_THRESHOLD, isShown, smallCellDisclosure } from './disclosure';
import type { CallNeed, CampaignCount, Disclosure } from './generated/resolvers';
import type { Context } from './index';
import type { CampaignCallDocument, CampaignDocument, LandlordCampaignCounts, ReferralDocument } from './model';

/**
 * A campaign's progress for the district: counts of households per landlord and in total, under the small-cells rule
 * (see disclosure.ts). The table is one dimension, landlords, whose rows add up to the total, for each measure on its
 * own: a row of another landlord is a figure on that many of its households, withheld under 11; the total rests on
 * the others' part of it (the total minus the caller's own row, which it knows). Complementary suppression then
 * withholds, while the total is shown, the smallest shown row of another landlord (else the total) for as long as
 * the withheld rows add up to fewer than 11, so that the total minus the visible rows rebuilds no small one.
 */

export const CALL_NEEDS: readonly CallNeed[] = ['GROCERIES', 'MEDICINES', 'PAPERWORK', 'SOCIAL_CONTACT', 'DIGITAL_HELP', 'URGENT_HEALTH'];

/** Who reads the progress: admins exactly, a landlord's staff its own row exactly. */
export interface ProgressViewer {
  exactEverywhere: boolean;
  ownLandlordId: string | null;
}

export interface CampaignFiguresModel {
  households: CampaignCount;
  reached: CampaignCount;
  needs: { need: CallNeed; count: number | null; disclosure: Disclosure }[];
  referralsDone: CampaignCount;
}

export interface CampaignProgressModel {
  total: CampaignFiguresModel;
  byLandlord: { landlord: EntityReference; figures: CampaignFiguresModel }[];
}

/** The raw counts of each taking part landlord, from its calls and referrals (zeros for a landlord with none). */
export function countCampaign(
  landlordIds: readonly string[],
  calls: readonly Pick<CampaignCallDocument, 'landlordId' | 'status' | 'needs'>[],
  referrals: readonly Pick<ReferralDocument, 'landlordId' | 'status'>[],
): LandlordCampaignCounts[] {
  const rows = new Map<string, LandlordCampaignCounts>(
    landlordIds.map((landlordId) => [landlordId, { landlordId, households: 0, reached: 0, needs: {}, referralsDone: 0 }]),
  );
  for (const call of calls) {
    const row = rows.get(call.landlordId);
    if (!row) continue;
    row.households += 1;
    if (call.status === 'REACHED') row.reached += 1;
    for (const need of call.needs) row.needs[need] = (row.needs[need] ?? 0) + 1;
  }
  for (const referral of referrals) {
    const row = rows.get(referral.landlordId);
    if (row && referral.status === 'DONE') row.referralsDone += 1;
  }
  return [...rows.values()];
}

export function disclosedProgress(rows: readonly LandlordCampaignCounts[], viewer: ProgressViewer): CampaignProgressModel {
  const disclose = (measure: (row: LandlordCampaignCounts) => number) =>
    discloseMeasure(
      rows.map(measure),
      rows.map((row) => isOwn(row, viewer)),
      viewer.exactEverywhere,
    );
  const households = disclose((row) => row.households);
  const reached = disclose((row) => row.reached);
  const referralsDone = disclose((row) => row.referralsDone);
  const needs = CALL_NEEDS.map((need) => ({ need, cells: disclose((row) => row.needs[need] ?? 0) }));
  const figuresAt = (index: number | 'total'): CampaignFiguresModel => {
    const pick = (cells: DisclosedMeasure) => (index === 'total' ? cells.total : cells.rows[index]!);
    return {
      households: pick(households),
      reached: pick(reached),
      needs: needs.map(({ need, cells }) => ({ need, ...pick(cells) })),
      referralsDone: pick(referralsDone),
    };
  };
  return {
    total: figuresAt('total'),
    byLandlord: rows.map((row, index) => ({ landlord: reference(row.landlordId), figures: figuresAt(index) })),
  };
}

function isOwn(row: LandlordCampaignCounts, viewer: ProgressViewer): boolean {
  return viewer.exactEverywhere || row.landlordId === viewer.ownLandlordId;
}

interface DisclosedMeasure {
  rows: CampaignCount[];
  total: CampaignCount;
}

/** One measure's rows and total, small cells and their complements withheld. */
export function discloseMeasure(values: readonly number[], own: readonly boolean[], exactEverywhere: boolean): DisclosedMeasure {
  const total = values.reduce((sum, value) => sum + value, 0);
  const others = values.reduce((sum, value, index) => sum + (own[index] ? 0 : value), 0);
  const status: Disclosure[] = values.map((value, index) => smallCellDisclosure(own[index]!, value));
  const allOwn = own.every(Boolean);
  let totalStatus = smallCellDisclosure(exactEverywhere || allOwn, others);
  for (;;) {
    if (totalStatus !== 'PUBLISHED') break;
    const withheld = status.map((disclosure, index) => (!isShown(disclosure) ? index : -1)).filter((index) => index >= 0);
    const withheldMass = withheld.reduce((sum, index) => sum + values[index]!, 0);
    if (withheld.length === 0 || withheldMass >= SMALL_CELL_THRESHOLD) break;
    const shown = status.map((disclosure, index) => (disclosure === 'PUBLISHED' ? index : -1)).filter((index) => index >= 0);
    if (shown.length === 0) {
      totalStatus = 'WITHHELD_COMPLEMENTARY';
      break;
    }
    const smallest = shown.reduce((best, index) => (values[index]! < values[best]! ? index : best));
    status[smallest] = 'WITHHELD_COMPLEMENTARY';
  }
  const cell = (value: number, disclosure: Disclosure): CampaignCount => ({ count: !isShown(disclosure) ? null : value, disclosure });
  return { rows: values.map((value, index) => cell(value, status[index]!)), total: cell(total, totalStatus) };
}

/** A campaign's progress as `context`'s caller may read it: from its call data, or the figures kept when it was purged. */
export async function campaignProgress(context: Context, campaign: CampaignDocument): Promise<CampaignProgressModel> {
  const rows =
    campaign.archivedFigures ??
    countCampaign(
      campaign.landlordIds,
      await context.store.campaignCalls.ofCampaign(campaign._id),
      await context.store.referrals.ofCampaign(campaign._id),
    );
  const caller = context.caller;
  return disclosedProgress(rows, {
    exactEverywhere: context.access.isAdmin,
    ownLandlordId: caller.role === 'LANDLORD_STAFF' ? caller.landlordId : null,
  });
}
