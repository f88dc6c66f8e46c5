import type { StatsPeriod } from '../gql/graphql';

/** A statistics cell in time as picked: a calendar year, or one of its quarters or months (UTC, as the graph counts). */
export interface PickedPeriod {
  year: number;
  quarter?: number;
  month?: number;
}

/** How many years back the picker offers: the demo and a district's useful history fit in it. */
const YEARS_OFFERED = 5;

const MONTHS = Array.from({ length: 12 }, (_, index) =>
  new Intl.DateTimeFormat('fr-FR', { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, index, 1))),
);
const QUARTERS = ['1er trimestre', '2e trimestre', '3e trimestre', '4e trimestre'];

/** The default: the current year's cell. */
export function currentYearPeriod(): PickedPeriod {
  return { year: new Date().getUTCFullYear() };
}

export function statsPeriod({ year, quarter, month }: PickedPeriod): StatsPeriod {
  return quarter ? { year, quarter } : month ? { year, month } : { year };
}

/** « en 2026 », « au 3e trimestre 2026 », « en mars 2026 »: what the figures count, after « Réclamations ». */
export function describePeriod({ year, quarter, month }: PickedPeriod): string {
  if (quarter) return `au ${QUARTERS[quarter - 1]} ${year}`;
  if (month) return `en ${MONTHS[month - 1]} ${year}`;
  return `en ${year}`;
}

/** The part of the year as a select's value: '' (the whole year), 'T3' or 'M11'. */
const partOf = ({ quarter, month }: PickedPeriod) => (quarter ? `T${quarter}` : month ? `M${month}` : '');

function withPart(year: number, part: string): PickedPeriod {
  const number = Number(part.slice(1));
  return part.startsWith('T') ? { year, quarter: number } : part.startsWith('M') ? { year, month: number } : { year };
}

/** Whether the period has begun (UTC): a cell not begun yet counts nothing, so it is not offered. */
function hasBegun(period: PickedPeriod, now: Date): boolean {
  const firstMonth = period.quarter ? period.quarter * 3 - 2 : (period.month ?? 1);
  return period.year < now.getUTCFullYear() || (period.year === now.getUTCFullYear() && firstMonth <= now.getUTCMonth() + 1);
}

/** A year, then the whole year or one of its quarters or months; the parts not begun yet are not offered. */
export function PeriodPicker({ value, onChange }: { value: PickedPeriod; onChange: (period: PickedPeriod) => void }) {
  const now = new Date();
  const years = Array.from({ length: YEARS_OFFERED }, (_, index) => now.getUTCFullYear() - index);
  const begun = (part: string) => hasBegun(withPart(value.year, part), now);
  const changeYear = (year: number) => {
    const samePart = withPart(year, partOf(value));
    onChange(hasBegun(samePart, now) ? samePart : { year });
  };
  return (
    <div className="filters period-picker" role="group" aria-label="Période des statistiques">
      <label>
        Année
        <select value={value.year} onChange={(event) => changeYear(Number(event.target.value))}>
          {years.map((year) => (
            <option key={year} value={year}>
              {year}
            </option>
          ))}
        </select>
      </label>
      <label>
        Période
        <select value={partOf(value)} onChange={(event) => onChange(withPart(value.year, event.target.value))}>
          <option value="">Année entière</option>
          <optgroup label="Trimestre">
            {QUARTERS.map((label, index) =>
              begun(`T${index + 1}`) ? (
                <option key={label} value={`T${index + 1}`}>
                  {label}
                </option>
              ) : null,
            )}
          </optgroup>
          <optgroup label="Mois">
            {MONTHS.map((label, index) =>
              begun(`M${index + 1}`) ? (
                <option key={label} value={`M${index + 1}`}>
                  {label}
                </option>
              ) : null,
            )}
          </optgroup>
        </select>
      </label>
    </div>
  );
}
