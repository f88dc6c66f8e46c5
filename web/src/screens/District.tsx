import { useState, type ReactNode } from 'react';
import { BarChart } from '../components/BarChart';
import { Disclosed, SmallCellsNote } from '../components/Disclosed';
import { Failure, Loading, PartialNotice } from '../components/Status';
import { formatHours, formatInteger, formatMonth, formatPercent } from '../format';
import { WebDistrictDocument, type WebDistrictQuery } from '../gql/graphql';
import { LANDLORD_COLOURS } from '../labels';
import { PeriodPicker, currentYearPeriod, describePeriod, statsPeriod, type PickedPeriod } from '../components/PeriodPicker';
import { useGraph } from '../useGraph';

type Building = NonNullable<WebDistrictQuery['district']>['buildings']['nodes'][number];

export function DistrictScreen({ districtId }: { districtId: string }) {
  const [picked, setPicked] = useState<PickedPeriod>(currentYearPeriod);
  const { data, errors, failure, loading } = useGraph(WebDistrictDocument, {
    districtId,
    period: statsPeriod(picked),
    year: { year: picked.year },
  });
  const [selected, setSelected] = useState<string | null>(null);
  if (failure) return <Failure>Le quartier n’a pas pu être chargé : {failure}</Failure>;
  const district = data?.district;
  if (!district) return loading ? <Loading what="du quartier" /> : <Failure>Quartier introuvable.</Failure>;

  const colourOf = new Map(
    district.landlords.map((landlord, index) => [landlord.id, LANDLORD_COLOURS[index % LANDLORD_COLOURS.length] ?? '#1d4ed8']),
  );
  const stats = district.requestStats;
  const trend = district.trend;
  const periodLabel = describePeriod(picked);
  const building = district.buildings.nodes.find((candidate) => candidate.id === selected);

  return (
    <>
      <h1>
        {district.name} <span className="subtitle">QPV {district.qpvCode ?? 'sans code'}</span>
      </h1>
      <PartialNotice errors={errors} />
      <section aria-labelledby="figures-title" aria-busy={loading}>
        <h2 id="figures-title">Chiffres clés</h2>
        <PeriodPicker value={picked} onChange={setPicked} />
        <dl className="figures" data-testid="key-figures" aria-busy={loading}>
          <Figure label="Logements" testId="dwellings">
            {formatInteger(district.stock.dwellings)}
          </Figure>
          <Figure label="Bâtiments" testId="buildings">
            {formatInteger(district.stock.buildings)}
          </Figure>
          <Figure label="Bailleurs" testId="landlords">
            {formatInteger(district.landlords.length)}
          </Figure>
          <Figure label={`Réclamations ${periodLabel}`} testId="total-requests">
            {stats ? <Disclosed value={stats.total} disclosure={stats.disclosure} /> : 'indisponible'}
          </Figure>
          <Figure label="dont encore ouvertes" testId="open-requests">
            {stats ? <Disclosed value={stats.open} disclosure={stats.disclosure} /> : 'indisponible'}
          </Figure>
          <Figure label="Prises en compte sous 48 h (Quali’Hlm)" testId="ack-rate">
            {stats ? (
              <Disclosed value={stats.acknowledgedWithin48hRate} disclosure={stats.disclosure} format={formatPercent} />
            ) : (
              'indisponible'
            )}
          </Figure>
          <Figure label="Délai médian de résolution" testId="median-resolution">
            {stats ? <Disclosed value={stats.medianResolutionHours} disclosure={stats.disclosure} format={formatHours} /> : 'indisponible'}
          </Figure>
        </dl>
        {stats?.disclosure === 'EXACT' && (
          <p className="muted">Chiffres exacts : le secret statistique ne s’applique pas à vous pour ce quartier.</p>
        )}
        <SmallCellsNote />
      </section>
      {trend && (
        <section aria-labelledby="trend-title">
          <h2 id="trend-title">Tendance mensuelle des réclamations</h2>
          <BarChart
            title={`Réclamations reçues par mois en ${picked.year}`}
            unit="Réclamations"
            bars={trend.byMonth.map((month) => ({
              label: formatMonth(month.month),
              longLabel: formatMonth(month.month, true),
              value: month.count ?? null,
              figure: <Disclosed value={month.count} disclosure={month.disclosure} />,
            }))}
          />
        </section>
      )}
      <section aria-labelledby="plan-title">
        <h2 id="plan-title">Plan des bâtiments</h2>
        <ul className="legend" aria-label="Légende : couleur par bailleur">
          {district.stock.byLandlord.map((line) => (
            <li key={line.landlord.id}>
              <span className="swatch" style={{ background: colourOf.get(line.landlord.id) }} aria-hidden="true" />
              {line.landlord.name} — {formatInteger(line.buildings)} bâtiments, {formatInteger(line.dwellings)} logements
            </li>
          ))}
        </ul>
        <div className="plan-layout">
          <BuildingPlan buildings={district.buildings.nodes} colourOf={colourOf} selected={selected} onSelect={setSelected} />
          {building ? (
            <BuildingCard building={building} periodLabel={periodLabel} onClose={() => setSelected(null)} />
          ) : (
            <p className="muted">Choisissez un bâtiment sur le plan pour ouvrir sa fiche.</p>
          )}
        </div>
      </section>
    </>
  );
}

function Figure({ label, testId, children }: { label: string; testId: string; children: ReactNode }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

/** The buildings where they stand (an equirectangular projection of their coordinates: a district is small), no tiles. */
function BuildingPlan(props: {
  buildings: Building[];
  colourOf: Map<string, string>;
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const located = props.buildings.filter((building) => building.location);
  const size = 400;
  const margin = 20;
  const lats = located.map((building) => building.location?.latitude ?? 0);
  const lons = located.map((building) => building.location?.longitude ?? 0);
  const [minLat, maxLat, minLon, maxLon] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
  const meanLat = ((minLat + maxLat) / 2) * (Math.PI / 180);
  const spanX = Math.max((maxLon - minLon) * Math.cos(meanLat), 1e-6);
  const spanY = Math.max(maxLat - minLat, 1e-6);
  const scale = (size - 2 * margin) / Math.max(spanX, spanY);
  const place = (building: Building) => ({
    x: margin + ((building.location?.longitude ?? 0) - minLon) * Math.cos(meanLat) * scale,
    y: size - margin - ((building.location?.latitude ?? 0) - minLat) * scale,
  });
  return (
    <svg
      className="plan"
      viewBox={`0 0 ${size} ${size}`}
      role="group"
      aria-label={`Plan : ${located.length} bâtiments situés, colorés par bailleur`}
    >
      <rect x={0} y={0} width={size} height={size} className="plan-ground" />
      {located.map((building) => {
        const { x, y } = place(building);
        const open = () => props.onSelect(building.id);
        return (
          <g
            key={building.id}
            role="button"
            tabIndex={0}
            aria-label={`${building.address.label}, ${building.landlord.name}, ${building.dwellingCount} logements`}
            aria-pressed={props.selected === building.id}
            onClick={open}
            onKeyDown={(event) => {
              if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault();
                open();
              }
            }}
            className="plan-building"
          >
            <rect
              x={x - 7}
              y={y - 7}
              width={14}
              height={14}
              rx={2}
              fill={props.colourOf.get(building.landlord.id)}
              className={props.selected === building.id ? 'selected' : undefined}
            />
          </g>
        );
      })}
    </svg>
  );
}

function BuildingCard({ building, periodLabel, onClose }: { building: Building; periodLabel: string; onClose: () => void }) {
  const stats = building.requestStats;
  return (
    <article className="card building-card" aria-labelledby="building-title" data-testid="building-card">
      <h3 id="building-title">{building.address.label}</h3>
      <dl>
        <dt>Bailleur</dt>
        <dd>{building.landlord.name}</dd>
        <dt>Logements</dt>
        <dd>{formatInteger(building.dwellingCount)}</dd>
        <dt>Année de construction</dt>
        <dd>{building.constructionYear ?? 'non renseignée'}</dd>
        <dt>Ascenseur</dt>
        <dd>{building.hasLift === null ? 'non renseigné' : building.hasLift ? 'oui' : 'non'}</dd>
        <dt>Réclamations {periodLabel}</dt>
        <dd>{stats ? <Disclosed value={stats.total} disclosure={stats.disclosure} testId="building-total" /> : 'non communiqué'}</dd>
        <dt>dont encore ouvertes</dt>
        <dd>{stats ? <Disclosed value={stats.open} disclosure={stats.disclosure} testId="building-open" /> : 'non communiqué'}</dd>
        <dt>Prises en compte sous 48 h</dt>
        <dd>
          {stats ? (
            <Disclosed
              value={stats.acknowledgedWithin48hRate}
              disclosure={stats.disclosure}
              format={formatPercent}
              testId="building-ack-rate"
            />
          ) : (
            'non communiqué'
          )}
        </dd>
      </dl>
      {stats?.disclosure === 'EXACT' && (
        <p className="muted" data-testid="building-exact">
          Chiffres exacts : le secret statistique ne s’applique pas à vous pour ce bâtiment (le vôtre).
        </p>
      )}
      <button type="button" onClick={onClose}>
        Fermer la fiche
      </button>
    </article>
  );
}
