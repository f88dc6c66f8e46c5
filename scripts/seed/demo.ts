import type { Collection, Db, Document, OptionalUnlessRequiredId } from 'mongodb';
import { actionsCollection } from '../../subgraphs/actions/data/actions';
import { tfpbProgrammesCollection } from '../../subgraphs/actions/data/tfpbProgrammes';
import { ensureActionsIndexes } from '../../subgraphs/actions/store';
import { buildingsCollection } from '../../subgraphs/housing/data/buildings';
import { districtsCollection } from '../../subgraphs/housing/data/districts';
import { dwellingsCollection } from '../../subgraphs/housing/data/dwellings';
import { estatesCollection } from '../../subgraphs/housing/data/estates';
import { landlordsCollection } from '../../subgraphs/housing/data/landlords';
import { ensureHousingIndexes } from '../../subgraphs/housing/store';
import { agreementsCollection } from '../../subgraphs/partners/data/agreements';
import { partnersCollection } from '../../subgraphs/partners/data/partners';
import { ensurePartnersIndexes } from '../../subgraphs/partners/store';
import type { COLLECTIONS } from '../../subgraphs/shared/mongo';
import { campaignCallsCollection } from '../../subgraphs/tenancy/data/campaignCalls';
import { campaignsCollection } from '../../subgraphs/tenancy/data/campaigns';
import { householdsCollection } from '../../subgraphs/tenancy/data/households';
import { referralsCollection } from '../../subgraphs/tenancy/data/referrals';
import { satisfactionSurveysCollection } from '../../subgraphs/tenancy/data/satisfactionSurveys';
import { reconcileRequestCells } from '../../subgraphs/tenancy/data/requestCellsReconciliation';
import { serviceRequestsCollection } from '../../subgraphs/tenancy/data/serviceRequests';
import { ensureTenancyIndexes } from '../../subgraphs/tenancy/store';
import { plannedActions } from './actions';
import { DemoCampaign } from './campaigns';
import { plannedTfpbProgrammes } from './tfpb';
import { type SeedCounts, seedCounts } from './counts';
import { planHousing, plannedDwellings } from './housing';
import { DEMO_DISTRICT, DEMO_PARTNER_IDS } from './names';
import { plannedPartners } from './partners';
import { HouseholdMaker, plannedRequests, plannedSurveys } from './tenancy';
import { SUBGRAPH_NAMES } from '../../lib/subgraphs';
import { reviseSubgraph } from '../../subgraphs/shared/graphRevisions';

export interface SeedOptions {
  /** Times the demo's size; 1 is the demo. */
  scale?: number;
  /** Exact counts replacing the scaled ones (a benchmark sets them). */
  counts?: Partial<SeedCounts>;
  /** The moment the data is as of: requests span the year before it. Defaults to the start of today (UTC), so runs of a day agree. */
  now?: Date;
}

/** How many documents each collection received. */
export type SeedSummary = Record<keyof typeof COLLECTIONS, number>;

const BATCH_SIZE = 1_000;

/** The demo data, unless the database already holds landlords (then it is left alone). Says whether it seeded. */
export async function seedDemoDataIfEmpty(db: Db): Promise<boolean> {
  if ((await landlordsCollection(db).estimatedDocumentCount()) > 0) return false;
  await seedDemoData(db);
  return true;
}

/**
 * Writes a whole world through the subgraphs' own collections, in the documents' stored shapes: the landlords,
 * districts and stock, households, service requests, surveys, partners and agreements, and joint actions.
 * Indexes come first, so that the unique ones vouch for the data; documents go in batches of 1,000. The same
 * options give the same documents: everything is drawn from seeded generators, and the ids are stable.
 */
export async function seedDemoData(db: Db, options: SeedOptions = {}): Promise<SeedSummary> {
  const counts = seedCounts(options.scale ?? 1, options.counts);
  const now = options.now ?? startOfToday();
  await Promise.all([ensureHousingIndexes(db), ensureTenancyIndexes(db), ensureActionsIndexes(db), ensurePartnersIndexes(db)]);

  const plan = planHousing(counts, now);
  const summary: Partial<SeedSummary> = {};
  summary.landlords = await insertInBatches(landlordsCollection(db), plan.landlords);
  summary.districts = await insertInBatches(districtsCollection(db), plan.districts);
  summary.estates = await insertInBatches(estatesCollection(db), plan.estates);
  summary.buildings = await insertInBatches(
    buildingsCollection(db),
    plan.buildings.map((planned) => planned.building),
  );

  // Households are drawn as their dwellings are, so that neither list is ever held whole.
  const households = new HouseholdMaker(now, plan);
  const campaign = new DemoCampaign(plan.landlordsOfDistrict.get(DEMO_DISTRICT._id) ?? [], DEMO_PARTNER_IDS.regie, now);
  const dwellingWriter = new BatchWriter(dwellingsCollection(db));
  const householdWriter = new BatchWriter(householdsCollection(db));
  for (const dwelling of plannedDwellings(plan)) {
    await dwellingWriter.add(dwelling);
    const household = households.householdOf(dwelling);
    if (household) {
      await householdWriter.add(household);
      campaign.add(household);
    }
  }
  summary.dwellings = await dwellingWriter.finish();
  summary.households = await householdWriter.finish();
  summary.serviceRequests = await insertInBatches(serviceRequestsCollection(db), plannedRequests(plan, counts.requests, now));
  // Written past the tenancy subgraph, the requests are counted in their statistics cells as its start would count them.
  await reconcileRequestCells(db);
  summary.satisfactionSurveys = await insertInBatches(satisfactionSurveysCollection(db), plannedSurveys(plan, now));

  const { partners, agreements, ofDistrict } = plannedPartners(plan, now);
  summary.partners = await insertInBatches(partnersCollection(db), partners);
  summary.agreements = await insertInBatches(agreementsCollection(db), agreements);
  summary.actions = await insertInBatches(actionsCollection(db), plannedActions(plan, ofDistrict, counts.actions, now));
  summary.tfpbProgrammes = await insertInBatches(tfpbProgrammesCollection(db), plannedTfpbProgrammes(plan, now));
  summary.campaigns = await insertInBatches(campaignsCollection(db), [campaign.campaign]);
  summary.campaignCalls = await insertInBatches(campaignCallsCollection(db), campaign.calls);
  summary.referrals = await insertInBatches(referralsCollection(db), campaign.referrals);
  summary.contactAccessLog = 0;
  // Written past the subgraphs: a response cache must not keep answers from before (subgraphs/shared/graphRevisions.ts).
  for (const subgraph of SUBGRAPH_NAMES) await reviseSubgraph(db, subgraph);
  return summary as SeedSummary;
}

function startOfToday(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** Collects documents and inserts them a batch at a time. */
class BatchWriter<T extends Document> {
  private batch: T[] = [];
  private written = 0;

  constructor(private readonly collection: Collection<T>) {}

  async add(document: T): Promise<void> {
    this.batch.push(document);
    if (this.batch.length >= BATCH_SIZE) await this.flush();
  }

  /** Writes what is left; returns how many documents were written in all. */
  async finish(): Promise<number> {
    await this.flush();
    return this.written;
  }

  private async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    await this.collection.insertMany(batch as OptionalUnlessRequiredId<T>[]);
    this.written += batch.length;
  }
}

async function insertInBatches<T extends Document>(collection: Collection<T>, documents: Iterable<T> | AsyncIterable<T>): Promise<number> {
  const writer = new BatchWriter(collection);
  for await (const document of documents) await writer.add(document);
  return writer.finish();
}
