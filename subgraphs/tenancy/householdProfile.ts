import { addressLabel } from '../shared/directory';
import { badInput } from '../shared/errors';
import { optionalPhone, optionalText } from '../shared/validate';
import type {
  AgeBand,
  CallListReason,
  ContactChannel,
  ContactConsent,
  ContactTimeSlot,
  HouseholdProfileInput,
} from './generated/resolvers';
import type { Context } from './index';
import type { HouseholdDocument } from './model';

/** A household's wellbeing-call profile, private to its landlord like the rest of the household. */
export interface HouseholdProfile {
  contactName: string | null;
  contactFirstName: string | null;
  phone: string | null;
  vulnerable: boolean;
  eldestMemberAgeBand: AgeBand | null;
  livesAlone: boolean;
  contactConsent: ContactConsent;
  preferredChannel: ContactChannel | null;
  preferredTimes: ContactTimeSlot[];
  entrance: string | null;
}

/** The profile of a stored household, households stored before profiles existed reading as the defaults. */
export function householdProfile(household: HouseholdDocument): HouseholdProfile {
  return {
    contactName: household.contactName,
    contactFirstName: household.contactFirstName ?? null,
    phone: household.phone,
    vulnerable: household.vulnerable,
    eldestMemberAgeBand: household.eldestMemberAgeBand ?? null,
    livesAlone: household.livesAlone ?? false,
    contactConsent: household.contactConsent ?? 'NOT_ASKED',
    preferredChannel: household.preferredChannel ?? null,
    preferredTimes: household.preferredTimes ?? [],
    entrance: household.entrance ?? null,
  };
}

/** A household registered without a profile: what `householdProfile` gives it. */
export const NEW_HOUSEHOLD: HouseholdProfile = {
  contactName: null,
  contactFirstName: null,
  phone: null,
  vulnerable: false,
  eldestMemberAgeBand: null,
  livesAlone: false,
  contactConsent: 'NOT_ASKED',
  preferredChannel: null,
  preferredTimes: [],
  entrance: null,
};

/** The street address of a household's building, as the people who call or visit it read it ('' if unknown). */
export async function householdAddress(context: Context, household: HouseholdDocument): Promise<string> {
  const dwelling = await context.directory.dwellings.load(household.dwellingId);
  const building = dwelling ? await context.directory.buildingAddresses.load(dwelling.buildingId) : null;
  return building ? addressLabel(building.address) : '';
}

export function householdVersion(household: HouseholdDocument): number {
  return household.version ?? 1;
}

/** The profile fields an input gives, validated; the fields it omits are left out (a null clears a nullable one). */
export function validProfileChange(input: HouseholdProfileInput): Partial<HouseholdProfile> {
  const change: Partial<HouseholdProfile> = {};
  if (input.contactName !== undefined) change.contactName = optionalText(input.contactName, 'contactName', 200);
  if (input.contactFirstName !== undefined) change.contactFirstName = optionalText(input.contactFirstName, 'contactFirstName', 100);
  if (input.phone !== undefined) change.phone = optionalPhone(input.phone, 'phone');
  if (input.vulnerable !== undefined && input.vulnerable !== null) change.vulnerable = input.vulnerable;
  if (input.eldestMemberAgeBand !== undefined) change.eldestMemberAgeBand = input.eldestMemberAgeBand;
  if (input.livesAlone !== undefined && input.livesAlone !== null) change.livesAlone = input.livesAlone;
  if (input.contactConsent !== undefined && input.contactConsent !== null) change.contactConsent = input.contactConsent;
  if (input.preferredChannel !== undefined) change.preferredChannel = input.preferredChannel;
  if (input.preferredTimes !== undefined) change.preferredTimes = distinctSlots(input.preferredTimes ?? []);
  if (input.entrance !== undefined) change.entrance = optionalText(input.entrance, 'entrance', 20);
  return change;
}

const AGED_70_OR_MORE: readonly AgeBand[] = ['FROM_70_TO_79', 'FROM_80_TO_89', 'FROM_90'];

/**
 * Why a household belongs on a call list: vulnerable, an eldest member aged 70 or more, living alone. None when it
 * refused to be contacted, whatever else holds.
 */
export function callListReasons(profile: HouseholdProfile): CallListReason[] {
  if (profile.contactConsent === 'REFUSED') return [];
  const reasons: CallListReason[] = [];
  if (profile.vulnerable) reasons.push('VULNERABLE');
  if (profile.eldestMemberAgeBand && AGED_70_OR_MORE.includes(profile.eldestMemberAgeBand)) reasons.push('AGED_70_OR_MORE');
  if (profile.livesAlone) reasons.push('LIVES_ALONE');
  return reasons;
}

/** The order calls are claimed in within a due day: the eldest first, then those living alone, then the vulnerable. */
export function callPriority(profile: HouseholdProfile): number {
  const ageRank: Record<AgeBand, number> = { FROM_90: 40, FROM_80_TO_89: 30, FROM_70_TO_79: 20, FROM_60_TO_69: 10, UNDER_60: 0 };
  return (
    (profile.eldestMemberAgeBand ? ageRank[profile.eldestMemberAgeBand] : 0) + (profile.livesAlone ? 5 : 0) + (profile.vulnerable ? 2 : 0)
  );
}

function distinctSlots(slots: readonly ContactTimeSlot[]): ContactTimeSlot[] {
  if (new Set(slots).size !== slots.length) throw badInput('preferredTimes names a time slot more than once.', 'preferredTimes');
  return [...slots];
}
