import { householdAddress, householdProfile } from './householdProfile';
import type { Context } from './index';
import type { ReferralContactModel, ReferralDocument } from './model';

/**
 * What a referral shows of the household: first name, address and entrance, phone; only while the household's
 * consent stands (its call says GIVEN), and each reading logged. Withdrawn consent or purged call data: null.
 */
export async function referralContact(context: Context, referral: ReferralDocument): Promise<ReferralContactModel | null> {
  const call = await context.store.campaignCalls.byId(referral.callId);
  if (call?.referralConsent !== 'GIVEN' || referral.status === 'WITHDRAWN') return null;
  const household = await context.store.households.byId(referral.householdId);
  if (!household) return null;
  const profile = householdProfile(household);
  await context.store.contactAccess.record(
    { landlordId: referral.landlordId, householdId: referral.householdId, campaignId: referral.campaignId },
    'VIEWED',
  );
  return {
    firstName: profile.contactFirstName,
    address: await householdAddress(context, household),
    entrance: profile.entrance,
    phone: profile.phone,
  };
}
