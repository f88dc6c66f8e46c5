import { csvText } from '../shared/csv';
import type { CallListReason, CallStatus, ContactChannel, ContactTimeSlot } from './generated/resolvers';
import { householdAddress, householdProfile } from './householdProfile';
import type { Context } from './index';
import type { CampaignCallDocument, CampaignDocument } from './model';

/** A landlord's call list as CSV for staff working offline: the one export of personal data, each household logged. */

const REASONS: Record<CallListReason, string> = { VULNERABLE: 'fragilité', AGED_70_OR_MORE: '70 ans et plus', LIVES_ALONE: 'vit seul' };
const STATUSES: Record<CallStatus, string> = {
  TO_CALL: 'à appeler',
  REACHED: 'joint',
  UNREACHABLE: 'injoignable',
  WRONG_NUMBER: 'faux numéro',
  REFUSED: 'refus',
  ALREADY_FOLLOWED: 'déjà suivi',
  NOT_REACHED_IN_TIME: 'non joint à temps',
};
const CHANNELS: Record<ContactChannel, string> = { PHONE: 'téléphone', SMS: 'SMS', EMAIL: 'courriel', VISIT: 'visite' };
const SLOTS: Record<ContactTimeSlot, string> = { MORNING: 'matin', MIDDAY: 'midi', AFTERNOON: 'après-midi', EVENING: 'soir' };

const HEADERS = ['Nom', 'Téléphone', 'Adresse', 'Entrée', 'Motifs', 'Canal préféré', 'Créneaux', 'Statut', 'Tentatives', 'Prochain appel'];

export async function callListCsv(context: Context, campaign: CampaignDocument, landlordId: string): Promise<string> {
  const calls = await context.store.campaignCalls.wholeList(campaign._id, landlordId);
  const rows = await Promise.all(calls.map((call) => callRow(context, call)));
  await context.store.contactAccess.recordAll(
    calls.map((call) => ({ landlordId, householdId: call.householdId, campaignId: campaign._id })),
    'EXPORTED',
  );
  // The byte-order mark makes spreadsheets read the file as UTF-8.
  return `\uFEFF${csvText([HEADERS, ...rows])}`;
}

async function callRow(context: Context, call: CampaignCallDocument): Promise<string[]> {
  const household = await context.store.households.byId(call.householdId);
  const profile = household ? householdProfile(household) : null;
  return [
    profile?.contactName ?? '',
    profile?.phone ?? '',
    household ? await householdAddress(context, household) : '',
    profile?.entrance ?? '',
    call.listedFor.map((reason) => REASONS[reason]).join(', '),
    profile?.preferredChannel ? CHANNELS[profile.preferredChannel] : '',
    (profile?.preferredTimes ?? []).map((slot) => SLOTS[slot]).join(', '),
    STATUSES[call.status],
    String(call.attempts.length),
    call.nextAttemptOn ?? '',
  ];
}
