import type { Collection, Db } from 'mongodb';
import type { Caller } from '../../../lib/auth/caller';
import { COLLECTIONS } from '../../shared/mongo';
import { newestFirstPage } from '../../shared/newestFirstPage';
import type { Connection, PageArgs } from '../../shared/pagination';
import { newId } from '../../shared/records';
import type { ContactAccessKind } from '../generated/resolvers';
import type { ContactAccessDocument } from '../model';

export function contactAccessCollection(db: Db): Collection<ContactAccessDocument> {
  return db.collection<ContactAccessDocument>(COLLECTIONS.contactAccessLog);
}

/** A landlord's log newest first, whole or for one household. */
export async function ensureContactAccessIndexes(db: Db): Promise<void> {
  await contactAccessCollection(db).createIndexes([
    { key: { landlordId: 1, at: -1, _id: -1 }, name: 'landlord_page' },
    { key: { householdId: 1, at: -1, _id: -1 }, name: 'household_page' },
  ]);
}

/** What one reading touched: the household, and the campaign it was read in, if any. */
export interface ContactAccess {
  landlordId: string;
  householdId: string;
  campaignId: string | null;
}

/**
 * The log of who read or exported which household's contact data (GDPR accountability). A request's readings are
 * collected and written in one insert at the end of the tick, each household once per kind and campaign.
 */
export class ContactAccessLog {
  private pending: ContactAccessDocument[] = [];
  private readonly seen = new Set<string>();
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly collection: Collection<ContactAccessDocument>,
    private readonly caller: Caller,
  ) {}

  /** Records a reading; the write completes before the resolver's answer is sent (the caller awaits it). */
  record(access: ContactAccess, kind: ContactAccessKind): Promise<void> {
    const key = `${kind}:${access.householdId}:${access.campaignId ?? ''}`;
    if (this.seen.has(key)) return this.flushing ?? Promise.resolve();
    this.seen.add(key);
    this.pending.push({
      _id: newId(),
      ...access,
      kind,
      at: new Date(),
      by: this.caller.sub,
      role: this.caller.role,
      partnerId: this.caller.role === 'PARTNER' ? this.caller.partnerId : null,
    });
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush());
    return this.flushing;
  }

  /** Records many readings at once (an export). */
  async recordAll(accesses: readonly ContactAccess[], kind: ContactAccessKind): Promise<void> {
    await Promise.all(accesses.map((access) => this.record(access, kind)));
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.flushing = null;
    if (batch.length > 0) await this.collection.insertMany(batch, { ordered: false });
  }

  /** A page of a landlord's log, newest first, of one household when given. */
  page(landlordId: string, householdId: string | null, args: PageArgs): Promise<Connection<ContactAccessDocument>> {
    return newestFirstPage(this.collection, { landlordId, ...(householdId ? { householdId } : {}) }, 'at', args);
  }
}
