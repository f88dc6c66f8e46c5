import { useMemo, useState } from 'react';
import { BarChart } from '../components/BarChart';
import { Failure, Loading, PartialNotice } from '../components/Status';
import { formatHours, formatInteger, formatMonth, formatPercent, statistic } from '../format';
import { WebDistrictDocument, type WebDistrictQuery } from '../gql/graphql';
import { LANDLORD_COLOURS } from '../labels';
import { useGraph } from '../useGraph';

type Building = NonNullable<WebDistrictQuery['district']>['buildings']['nodes'][number];

/** Requests of the last twelve months: the trend the figures are read against. */
function twelveMonthsAgo(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth() + 1, 1)).toISOString();
}

export function DistrictScreen({ districtId }: { districtId: string }) {
  const since = useMemo(twelveMonthsAgo, []);
  const { data, errors, failure, loading } = useGraph(WebDistrictDocument, { districtId, since });
  const [selected, setSelected] = useState<string | null>(null);
  if (failure) return <Failure>Le quartier n’a pas pu être chargé : {failure}</Failure>;
  const district = data?.district;
  if (!district) return loading ? <Loading what="du quartier" /> : <Failure>Quartier introuvable.</Failure>;

  const colourOf = new Map(district.landlords.map((landlord, index) => [landlord.id, LANDLORD_COLOURS[index % LANDLORD_COLOURS.length] ?? '#1d4ed8']));
  const stats = district.requestStats;
  const building = district.buildings.nodes.find((candidate) => candidate.id === selected);

  return (
    <>
      <h1>
        {district.name} <span className="subtitle">QPV {district.qpvCode ?? 'sans code'}</span>
      </h1>
      <PartialNotice errors={errors} />
      <section aria-labelledby="figures-title">
        <h2 id="figures-title">Chiffres clés</h2>
        <dl className="figures" data-testid="key-figures">
          <Figure label="Logements" value={formatInteger(district.stock.dwellings)} testId="dwellings" />
          <Figure label="Bâtiments" value={formatInteger(district.stock.buildings)} testId="buildings" />
          <Figure label="Bailleurs" value={formatInteger(district.landlords.length)} testId="landlords" />
          <Figure label="Réclamations ouvertes" value={stats ? statistic(stats.open) : 'indisponible'} testId="open-requests" />
          <Figure
            label="Prises en compte sous 48 h (Quali’Hlm)"
            value={stats ? statistic(stats.acknowledgedWithin48hRate, formatPercent) : 'indisponible'}
            testId="ack-rate"
          />
          <Figure label="Délai médian de résolution" value={stats ? statistic(stats.medianResolutionHours, formatHours) : 'indisponible'} testId="median-resolution" />
        </dl>
      </section>
      {stats && (
        <section aria-labelledby="trend-title">
          <h2 id="trend-title">Tendance mensuelle des réclamations</h2>
          <BarChart
            title="Réclamations reçues par mois, sur douze mois"
            unit="Réclamations"
            bars={stats.byMonth.map((month) => ({ label: formatMonth(month.month), longLabel: formatMonth(month.month, true), value: month.count }))}
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
          {building ? <BuildingCard building={building} onClose={() => setSelected(null)} /> : <p className="muted">Choisissez un bâtiment sur le plan pour ouvrir sa fiche.</p>}
        </div>
      </section>
    </>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

/** The buildings where they stand (an equirectangular projection of their coordinates: a district is small), no tiles. */
function BuildingPlan(props: { buildings: Building[]; colourOf: Map<string, string>; selected: string | null; onSelect: (id: string) => void }) {
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
    <svg className="plan" viewBox={`0 0 ${size} ${size}`} role="group" aria-label={`Plan : ${located.length} bâtiments situés, colorés par bailleur`}>
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

function BuildingCard({ building, onClose }: { building: Building; onClose: () => void }) {
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
        <dd>{building.hasLift === null || building.hasLift === undefined ? 'non renseigné' : building.hasLift ? 'oui' : 'non'}</dd>
        <dt>Réclamations sur douze mois</dt>
        <dd>{stats ? statistic(stats.total) : 'non communiqué'}</dd>
        <dt>Réclamations ouvertes</dt>
        <dd>{stats ? statistic(stats.open) : 'non communiqué'}</dd>
        <dt>Prises en compte sous 48 h</dt>
        <dd>{stats ? statistic(stats.acknowledgedWithin48hRate, formatPercent) : 'non communiqué'}</dd>
      </dl>
      <button type="button" onClick={onClose}>
        Fermer la fiche
      </button>
    </article>
  );
}
