import type { Collection, Db } from 'mongodb';
import type { Caller } from '../../../lib/auth/caller';
import { auditUpdate } from '../../shared/audit';
import { isDuplicateKeyError } from '../../shared/errors';
import { type RequestLoaders, groupedByFieldLoader, loaderKey } from '../../shared/loaders';
import { COLLECTIONS } from '../../shared/mongo';
import { newId, Records } from '../../shared/records';
import { isShown, smallCellDisclosure } from '../disclosure';
import type { Disclosure } from '../generated/resolvers';
import type { SatisfactionScoreModel, SatisfactionSurveyDocument } from '../model';

export function satisfactionSurveysCollection(db: Db): Collection<SatisfactionSurveyDocument> {
  return db.collection<SatisfactionSurveyDocument>(COLLECTIONS.satisfactionSurveys);
}

/** One survey per landlord, district and year; the same index serves a district's surveys. */
export async function ensureSatisfactionSurveyIndexes(db: Db): Promise<void> {
  await satisfactionSurveysCollection(db).createIndexes([
    { key: { districtId: 1, year: 1, landlordId: 1 }, name: 'district_year_landlord_unique', unique: true },
  ]);
}

export type SurveyFields = Pick<SatisfactionSurveyDocument, 'landlordId' | 'districtId' | 'year' | 'themes'>;

export class SatisfactionSurveysData extends Records<SatisfactionSurveyDocument> {
  constructor(db: Db, loaders: RequestLoaders) {
    super(satisfactionSurveysCollection(db), loaders);
  }

  /** A district's surveys, of one year or all, newest first: one find for all districts asked. */
  ofDistrict(districtId: string, year: number | null): Promise<SatisfactionSurveyDocument[]> {
    return this.loaders
      .get(loaderKey('surveysOfDistrict', { year }), () =>
        groupedByFieldLoader(this.collection, 'districtId', {
          filter: year === null ? {} : { year },
          sort: { year: -1, landlordId: 1 },
        }),
      )
      .load(districtId);
  }

  /** Records the landlord's survey of that district and year, replacing one recorded before. */
  async record({ landlordId, districtId, year, themes }: SurveyFields, caller: Caller): Promise<SatisfactionSurveyDocument> {
    const at = new Date();
    const upsert = () =>
      this.collection.findOneAndUpdate(
        { districtId, year, landlordId },
        {
          $set: { themes, ...auditUpdate(caller, at) },
          $setOnInsert: { _id: newId(), 'audit.createdAt': at, 'audit.createdBy': caller.sub },
        },
        { upsert: true, returnDocument: 'after' },
      );
    try {
      return (await upsert())!;
    } catch (error) {
      // Two first recordings raced and the unique index refused one: it now finds the other's survey and replaces it.
      if (!isDuplicateKeyError(error)) throw error;
      return (await upsert())!;
    }
  }
}

/** A survey's score as a caller reads it: whether its rate is disclosed to that caller. */
export interface DisclosedSatisfactionScore extends SatisfactionScoreModel {
  disclosure: Disclosure;
}

/**
 * A survey's scores under the small-cells rule: exact for its landlord's staff and admins (`exact`); for anyone else
 * a score rests on another landlord's respondents, so its rate is withheld under 11 of them.
 */
export function disclosedScores(survey: SatisfactionSurveyDocument, exact: boolean): DisclosedSatisfactionScore[] {
  return survey.themes.map((score) => ({ ...score, disclosure: smallCellDisclosure(exact, score.respondents) }));
}

/** The share of satisfied respondents, when disclosed; none without respondents. */
export function satisfiedRate({ respondents, satisfied, disclosure }: DisclosedSatisfactionScore): number | null {
  return isShown(disclosure) && respondents > 0 ? satisfied / respondents : null;
}
