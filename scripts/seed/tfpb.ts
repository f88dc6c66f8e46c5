import type { TfpbAxis } from '../../subgraphs/actions/generated/resolvers';
import type { TfpbEntryModel, TfpbProgrammeDocument } from '../../subgraphs/actions/model';
import { type HousingPlan, seedAudit } from './housing';
import { SeededRandom } from './random';

/**
 * The lines a landlord of Le Mirail typically programmes against its abatement, with the share of the abatement
 * each takes: caretaking and extra cleaning take most of it, as in the landlords' real programmes.
 */
const PROGRAMME_LINES: readonly { axis: TfpbAxis; label: string; share: number; coFinanced?: string }[] = [
  { axis: 'PROXIMITY_STAFF', label: 'Renfort de gardiennage (soirées et week-ends)', share: 0.34 },
  { axis: 'STAFF_TRAINING', label: 'Formation des gardiens à la gestion des conflits', share: 0.02 },
  { axis: 'EXTRA_MAINTENANCE', label: 'Nettoyage supplémentaire des halls et cages d’escalier', share: 0.2 },
  { axis: 'WASTE_AND_BULKY_ITEMS', label: 'Enlèvement des encombrants et dépôts sauvages', share: 0.1 },
  { axis: 'RESIDENTIAL_TRANQUILLITY', label: 'Médiation de nuit', share: 0.1, coFinanced: 'Ville de Toulouse' },
  { axis: 'TENANT_CONSULTATION', label: 'Réunions de concertation et diagnostics en marchant', share: 0.04 },
  {
    axis: 'SOCIAL_LIFE',
    label: 'Soutien aux animations de l’association de locataires',
    share: 0.06,
    coFinanced: 'État (contrat de ville)',
  },
  { axis: 'SMALL_WORKS', label: 'Petits travaux : éclairage des parkings, peinture des halls', share: 0.08 },
];

/**
 * Each landlord's TFPB programme in each of its districts, for last year (spent) and this year (programmed,
 * spent so far in proportion to the year gone): the abatement is about 220 € per dwelling (30 % of the TFPB),
 * the programme about the whole of it.
 */
export function plannedTfpbProgrammes(plan: HousingPlan, now: Date): TfpbProgrammeDocument[] {
  const random = new SeededRandom('tfpb');
  const dwellings = new Map<string, number>();
  for (const { building, dwellingCount } of plan.buildings) {
    const key = `${building.landlordId}|${building.districtId}`;
    dwellings.set(key, (dwellings.get(key) ?? 0) + dwellingCount);
  }
  const thisYear = now.getUTCFullYear();
  const yearGone = (now.getTime() - Date.UTC(thisYear, 0, 1)) / (Date.UTC(thisYear + 1, 0, 1) - Date.UTC(thisYear, 0, 1));
  return [...dwellings].flatMap(([key, dwellingCount]) => {
    const [landlordId, districtId] = key.split('|') as [string, string];
    return [thisYear - 1, thisYear].map((year): TfpbProgrammeDocument => {
      const abatementCents = dwellingCount * random.int(190, 250) * 100;
      const spentFraction = year < thisYear ? 1 : yearGone;
      const entries = PROGRAMME_LINES.map((line, index): TfpbEntryModel => {
        const plannedCents = Math.round((abatementCents * line.share) / 100) * 100;
        const spentCents = Math.round((plannedCents * spentFraction * random.between(0.8, 1.1)) / 100) * 100;
        return {
          id: `tfpb-${landlordId}-${districtId}-${year}-${index + 1}`,
          axis: line.axis,
          label: line.label,
          plannedCents,
          spentCents,
          coFinancingCents: line.coFinanced ? Math.round((spentCents * 0.3) / 100) * 100 : 0,
          coFinancers: line.coFinanced ?? null,
        };
      });
      return {
        _id: `tfpb-${landlordId}-${districtId}-${year}`,
        landlordId,
        districtId,
        year,
        abatementCents,
        dwellingCount: null,
        entries,
        version: 1 + entries.length,
        audit: seedAudit(new Date(Date.UTC(year, 2, 31))),
      };
    });
  });
}
