import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { GraphRequestError, execute, mutate, refusalMessage } from '../client';
import { Disclosed, SmallCellsNote } from '../components/Disclosed';
import { Failure, Loading, PartialNotice } from '../components/Status';
import { download } from '../csv';
import { formatDate, formatDateTime } from '../format';
import {
  WebCallListCsvDocument,
  WebCampaignCallDocument,
  WebCampaignDocument,
  WebCampaignsDocument,
  WebClaimNextCallDocument,
  WebEndCampaignDocument,
  WebOpenCampaignDocument,
  WebRecordCallAttemptDocument,
  WebRecordReferralConsentDocument,
  WebReferNeedDocument,
  WebReleaseCallDocument,
  type CallNeed,
  type CallOutcome,
  type CampaignReason,
  type PartnerService,
  type ReferralConsent,
  type WebCampaignCallDetailsFragment,
  type WebCampaignFiguresFragment,
  type WebCampaignQuery,
  type WebCampaignSummaryFragment,
} from '../gql/graphql';
import {
  CALL_LIST_REASON,
  CALL_NEED,
  CALL_OUTCOME,
  CALL_STATUS,
  CAMPAIGN_REASON,
  CAMPAIGN_STATUS,
  CONTACT_CHANNEL,
  CONTACT_TIME_SLOT,
  REFERRAL_CONSENT,
  REFERRAL_STATUS,
} from '../labels';
import type { Session } from '../session';
import { useGraph } from '../useGraph';
import { ReceivedReferrals } from './Referrals';

type Call = WebCampaignCallDetailsFragment;
type Campaign = NonNullable<WebCampaignQuery['campaign']>;
type Partner = NonNullable<Campaign['district']['partners']>[number];

/** The partner service that takes over each need; an urgent health concern goes to the emergency services, never a partner. */
const SERVICE_FOR_NEED: Record<Exclude<CallNeed, 'URGENT_HEALTH'>, PartnerService> = {
  GROCERIES: 'GROCERY_DELIVERY',
  MEDICINES: 'MEDICINE_DELIVERY',
  PAPERWORK: 'PAPERWORK_HELP',
  SOCIAL_CONTACT: 'BEFRIENDING',
  DIGITAL_HELP: 'DIGITAL_HELP',
};
const NEEDS = Object.keys(CALL_NEED) as CallNeed[];
const NOT_REACHED_OUTCOMES: CallOutcome[] = ['NO_ANSWER', 'WRONG_NUMBER', 'REFUSED', 'ALREADY_FOLLOWED'];

/** « du 1er juillet 2026 au 31 août 2026 »: campaign days are calendar days, shown as such. */
const period = (campaign: { startsOn: string; endsOn: string }) =>
  `du ${formatDate(`${campaign.startsOn}T12:00:00Z`)} au ${formatDate(`${campaign.endsOn}T12:00:00Z`)}`;

export function CampaignsScreen({ districtId, session }: { districtId: string; session: Session }) {
  const { data, failure, loading, reload } = useGraph(WebCampaignsDocument, { districtId });
  const [openId, setOpenId] = useState<string | null>(null);
  if (failure) return <Failure>Les campagnes n’ont pas pu être chargées : {failure}</Failure>;
  const campaigns = data?.campaigns;
  const opens = session.role === 'COORDINATOR' || session.role === 'LANDLORD_STAFF';

  return (
    <>
      <h1>Appels de convivialité</h1>
      <p className="muted lead">
        Campagnes d’appels aux locataires fragiles (plan canicule, grand froid, isolement…) : chaque bailleur appelle ses propres locataires
        ; les noms et numéros ne sortent jamais de chez lui, sauf vers un partenaire avec le consentement du locataire.
      </p>
      {session.role === 'PARTNER' && <ReceivedReferrals />}
      {openId && <CampaignPage key={openId} id={openId} session={session} onChanged={reload} onClose={() => setOpenId(null)} />}
      <section aria-labelledby="campaigns-title">
        <h2 id="campaigns-title">Campagnes du quartier</h2>
        {opens && (
          <OpenCampaignForm
            districtId={districtId}
            session={session}
            onOpened={(campaign) => {
              reload();
              setOpenId(campaign.id);
            }}
          />
        )}
        {!campaigns && loading && <Loading what="des campagnes" />}
        {campaigns?.length === 0 && <p>Aucune campagne dans ce quartier pour l’instant.</p>}
        <ul className="cards" data-testid="campaigns">
          {campaigns?.map((campaign) => (
            <li key={campaign.id} className="card">
              <h3>{campaign.title}</h3>
              <p>
                {CAMPAIGN_REASON[campaign.reason]} — {period(campaign)}
                <br />
                <span className="muted">
                  {CAMPAIGN_STATUS[campaign.status]} ·{' '}
                  {campaign.openedByLandlord ? `ouverte par ${campaign.openedByLandlord.name}` : 'tous les bailleurs du quartier'}
                </span>
              </p>
              <button type="button" onClick={() => setOpenId(campaign.id)} aria-expanded={openId === campaign.id}>
                Ouvrir<span className="visually-hidden"> {campaign.title}</span>
              </button>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function OpenCampaignForm({
  districtId,
  session,
  onOpened,
}: {
  districtId: string;
  session: Session;
  onOpened: (campaign: WebCampaignSummaryFragment) => void;
}) {
  const today = new Date().toISOString().slice(0, 10);
  const [reason, setReason] = useState<CampaignReason>('CANICULE');
  const [title, setTitle] = useState('');
  const [startsOn, setStartsOn] = useState(today);
  const [endsOn, setEndsOn] = useState(today);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { openCampaign } = await mutate(WebOpenCampaignDocument, {
        input: { districtId, reason, startsOn, endsOn, ...(title.trim() && { title: title.trim() }) },
      });
      setTitle('');
      onOpened(openCampaign);
    } catch (caught) {
      setError(refusalMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="card">
      <summary>Ouvrir une campagne</summary>
      <form onSubmit={(event) => void submit(event)} aria-label="Ouvrir une campagne">
        <p className="muted">
          {session.role === 'COORDINATOR'
            ? 'Pour tous les bailleurs du quartier : chacun appellera ses propres locataires fragiles.'
            : 'Pour votre organisme : la liste d’appels est faite de vos ménages fragiles, de 70 ans ou plus, ou vivant seuls.'}
        </p>
        <label htmlFor="campaign-reason">Motif</label>
        <select id="campaign-reason" value={reason} onChange={(event) => setReason(event.target.value as CampaignReason)}>
          {Object.entries(CAMPAIGN_REASON).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <label htmlFor="campaign-title">Intitulé{reason !== 'OTHER' && ' (facultatif)'}</label>
        <input
          id="campaign-title"
          value={title}
          required={reason === 'OTHER'}
          placeholder="par exemple : Canicule juillet 2026"
          onChange={(event) => setTitle(event.target.value)}
        />
        <div className="filters">
          <div>
            <label htmlFor="campaign-starts">Premier jour</label>
            <input id="campaign-starts" type="date" required value={startsOn} onChange={(event) => setStartsOn(event.target.value)} />
          </div>
          <div>
            <label htmlFor="campaign-ends">Dernier jour</label>
            <input id="campaign-ends" type="date" required value={endsOn} onChange={(event) => setEndsOn(event.target.value)} />
          </div>
        </div>
        {error && (
          <p className="alert" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Ouvrir la campagne
        </button>
      </form>
    </details>
  );
}

/** One campaign: what it is, its progress in aggregates, and for a landlord's staff their calls. */
function CampaignPage({ id, session, onChanged, onClose }: { id: string; session: Session; onChanged: () => void; onClose: () => void }) {
  const { data, errors, failure, loading, reload } = useGraph(WebCampaignDocument, { id });
  const [error, setError] = useState<string | null>(null);
  // Opened from the list further down: bring the campaign into view and keyboard focus there, once loaded.
  const panel = useRef<HTMLElement>(null);
  const loaded = Boolean(data?.campaign);
  useEffect(() => {
    if (!loaded) return;
    panel.current?.scrollIntoView({ block: 'start' });
    panel.current?.focus();
  }, [loaded]);
  if (failure) return <Failure>La campagne n’a pas pu être chargée : {failure}</Failure>;
  const campaign = data?.campaign;
  if (!campaign) return loading ? <Loading what="de la campagne" /> : <Failure>Campagne introuvable.</Failure>;
  const staff = session.role === 'LANDLORD_STAFF';
  const ends =
    (campaign.status === 'ACTIVE' || campaign.status === 'PLANNED') &&
    (session.role === 'ADMIN' ||
      (session.role === 'COORDINATOR' && !campaign.openedByLandlord) ||
      (staff && campaign.openedByLandlord?.id === session.landlordId));
  const end = async () => {
    setError(null);
    try {
      await mutate(WebEndCampaignDocument, { id: campaign.id, expectedVersion: campaign.version });
      onChanged();
    } catch (caught) {
      setError(
        caught instanceof GraphRequestError && caught.code === 'CONFLICT'
          ? 'La campagne a été modifiée entre-temps : elle est rechargée, vérifiez avant de recommencer.'
          : refusalMessage(caught),
      );
    }
    reload();
  };

  return (
    <section ref={panel} tabIndex={-1} className="card campaign-page" aria-labelledby="campaign-title" data-testid="campaign-page">
      <h2 id="campaign-title">{campaign.title}</h2>
      <PartialNotice errors={errors} />
      <dl className="facts">
        <dt>Motif</dt>
        <dd>{CAMPAIGN_REASON[campaign.reason]}</dd>
        <dt>Période</dt>
        <dd>{period(campaign)}</dd>
        <dt>État</dt>
        <dd data-testid="campaign-status">{CAMPAIGN_STATUS[campaign.status]}</dd>
        <dt>Bailleurs</dt>
        <dd>{campaign.landlords.map((landlord) => landlord.name).join(', ')}</dd>
        <dt>Données d’appel effacées le</dt>
        <dd>{formatDate(`${campaign.callDataPurgeOn}T12:00:00Z`)}</dd>
      </dl>
      {campaign.progress && <Progress progress={campaign.progress} />}
      {session.role === 'COORDINATOR' && (
        <p className="notice">
          Le détail des appels (noms, numéros, besoins de chacun) reste chez chaque bailleur : la coordination n’en voit que les totaux.
        </p>
      )}
      {staff && <MyCalls campaign={campaign} onChanged={reload} />}
      {error && (
        <p className="alert" role="alert">
          {error}
        </p>
      )}
      <div className="toolbar">
        {ends && (
          <button type="button" className="danger" onClick={() => void end()}>
            Terminer la campagne aujourd’hui
          </button>
        )}
        <button type="button" className="secondary" onClick={onClose}>
          Fermer
        </button>
      </div>
    </section>
  );
}

/** Households to call, reached, needs and referrals done, per landlord and in total: withheld figures say so, never 0. */
function Progress({ progress }: { progress: NonNullable<Campaign['progress']> }) {
  const rows: { name: string; figures: WebCampaignFiguresFragment; total?: boolean }[] = [
    ...progress.byLandlord.map((row) => ({ name: row.landlord.name, figures: row.figures })),
    { name: 'Total', figures: progress.total, total: true },
  ];
  const need = (figures: WebCampaignFiguresFragment, value: CallNeed) => figures.needs.find((row) => row.need === value);
  return (
    <section aria-labelledby="progress-title">
      <h3 id="progress-title">Avancement</h3>
      {/* Focusable, so that the keyboard scrolls a table wider than a phone. */}
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="progress-title">
        <table className="report" data-testid="campaign-progress">
          <caption className="visually-hidden">Avancement de la campagne par bailleur</caption>
          <thead>
            <tr>
              <th scope="col">Bailleur</th>
              <th scope="col">Ménages à appeler</th>
              <th scope="col">Joints</th>
              <th scope="col">Orientations faites</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.name} className={row.total ? 'total' : undefined} data-testid={row.total ? 'progress-total' : undefined}>
                <th scope="row">{row.name}</th>
                <td>
                  <Disclosed counted="ménages" short value={row.figures.households.count} disclosure={row.figures.households.disclosure} />
                </td>
                <td>
                  <Disclosed counted="ménages" short value={row.figures.reached.count} disclosure={row.figures.reached.disclosure} />
                </td>
                <td>
                  <Disclosed
                    counted="ménages"
                    short
                    value={row.figures.referralsDone.count}
                    disclosure={row.figures.referralsDone.disclosure}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3 id="needs-title">Besoins exprimés</h3>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="needs-title">
        <table className="report" data-testid="campaign-needs" aria-labelledby="needs-title">
          <thead>
            <tr>
              <th scope="col">Besoin</th>
              {rows.map((row) => (
                <th key={row.name} scope="col">
                  {row.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {NEEDS.map((value) => (
              <tr key={value}>
                <th scope="row">{CALL_NEED[value]}</th>
                {rows.map((row) => {
                  const cell = need(row.figures, value);
                  return (
                    <td key={row.name}>{cell && <Disclosed counted="ménages" short value={cell.count} disclosure={cell.disclosure} />}</td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <SmallCellsNote counted="ménages" />
    </section>
  );
}

/** The caller's « à appeler aujourd'hui » queue, the call in hand, and the landlord's call list for offline work. */
function MyCalls({ campaign, onChanged }: { campaign: Campaign; onChanged: () => void }) {
  const queue = campaign.myCallsToday;
  // The call in hand stays on screen once recorded, though it leaves the queue (reached, or next attempt tomorrow).
  const [current, setCurrent] = useState<Call | null>(() => queue.find((call) => call.heldByMe) ?? null);
  const [message, setMessage] = useState<string | null>(null);
  const partners = campaign.district.partners ?? [];

  const claimNext = async () => {
    setMessage(null);
    try {
      const { claimNextCall } = await mutate(WebClaimNextCallDocument, { campaignId: campaign.id });
      if (!claimNextCall) setMessage('Plus personne à appeler aujourd’hui.');
      setCurrent(claimNextCall ?? null);
    } catch (caught) {
      setMessage(refusalMessage(caught));
    }
    onChanged();
  };
  const exportCsv = async () => {
    setMessage(null);
    try {
      const result = await execute(WebCallListCsvDocument, { id: campaign.id });
      const csv = result.data?.campaign?.callListCsv;
      if (csv === undefined) throw new GraphRequestError(result.errors);
      const slug = campaign.title
        .normalize('NFD')
        .replace(/[^\w]+/g, '-')
        .replace(/^-|-$/g, '')
        .toLowerCase();
      download(`liste-appels-${slug}.csv`, csv.startsWith('\uFEFF') ? csv : `\uFEFF${csv}`);
    } catch (caught) {
      setMessage(refusalMessage(caught));
    }
  };

  return (
    <section aria-labelledby="my-calls-title" data-testid="my-calls">
      <h3 id="my-calls-title">À appeler aujourd’hui ({queue.length})</h3>
      {queue.length > 0 && (
        <ul className="queue">
          {queue.map((call) => (
            <li key={call.id}>
              <button type="button" className="secondary" onClick={() => setCurrent(call)} aria-pressed={call.id === current?.id}>
                {call.household?.contactName ?? 'Ménage'} — {CALL_STATUS[call.status]}
                {call.attempts.length > 0 && `, ${call.attempts.length} essai${call.attempts.length > 1 ? 's' : ''}`}
                {call.heldByMe && ' (vous l’avez en main)'}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="toolbar">
        {campaign.status === 'ACTIVE' && (
          <button type="button" onClick={() => void claimNext()}>
            Appeler le suivant
          </button>
        )}
        <button type="button" className="secondary" onClick={() => void exportCsv()}>
          Télécharger la liste d’appels (CSV)
        </button>
      </div>
      <p className="muted">
        La liste d’appels est à l’usage de votre personnel seulement ; chaque téléchargement est inscrit au journal des accès.
      </p>
      {message && (
        <p role="status" className="notice">
          {message}
        </p>
      )}
      {current && (
        <CallCard
          key={current.id}
          call={current}
          partners={partners}
          onChanged={onChanged}
          onReleased={() => {
            setCurrent(null);
            onChanged();
          }}
        />
      )}
    </section>
  );
}

/** One household to call: who, how to reach it, and what the call gave. Every change sends the version shown. */
function CallCard({
  call: shown,
  partners,
  onChanged,
  onReleased,
}: {
  call: Call;
  partners: Partner[];
  onChanged: () => void;
  onReleased: () => void;
}) {
  const [call, setCall] = useState(shown);
  const [conflict, setConflict] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const household = call.household;

  const change = async (run: () => Promise<Call | null>) => {
    setError(null);
    try {
      const changed = await run();
      if (changed) setCall(changed);
      setConflict(false);
      onChanged();
    } catch (caught) {
      if (caught instanceof GraphRequestError && caught.code === 'CONFLICT') {
        // Someone else changed the call: show it as it is now, and let the person decide again.
        const fresh = await execute(WebCampaignCallDocument, { id: call.id });
        if (fresh.data?.campaignCall) setCall(fresh.data.campaignCall);
        setConflict(true);
        onChanged();
      } else {
        setError(refusalMessage(caught));
      }
    }
  };
  const record = (outcome: CallOutcome, reached?: { needs: CallNeed[]; referralConsent: ReferralConsent | null }) =>
    change(
      async () =>
        (
          await mutate(WebRecordCallAttemptDocument, {
            input: {
              callId: call.id,
              expectedVersion: call.version,
              outcome,
              ...(reached && { needs: reached.needs }),
              ...(reached?.referralConsent && { referralConsent: reached.referralConsent }),
            },
          })
        ).recordCallAttempt,
    );
  const consent = (value: ReferralConsent) =>
    change(
      async () =>
        (await mutate(WebRecordReferralConsentDocument, { callId: call.id, consent: value, expectedVersion: call.version }))
          .recordReferralConsent,
    );
  const refer = (need: CallNeed, partnerId: string) =>
    change(async () => {
      await mutate(WebReferNeedDocument, { input: { callId: call.id, need, partnerId } });
      return (await execute(WebCampaignCallDocument, { id: call.id })).data?.campaignCall ?? null;
    });
  const release = async () => {
    setError(null);
    try {
      await mutate(WebReleaseCallDocument, { id: call.id, expectedVersion: call.version });
      onReleased();
    } catch (caught) {
      setError(refusalMessage(caught));
    }
  };
  const open = call.status === 'TO_CALL';

  return (
    <article className="card call-card" aria-labelledby="call-title" data-testid="call-card">
      <h4 id="call-title">{household?.contactName ?? 'Ménage sans nom enregistré'}</h4>
      {conflict && (
        <p className="notice" role="status" data-testid="conflict">
          Cet appel a été modifié entre-temps (par un collègue ?) : voici ce qui est enregistré maintenant. Vérifiez avant de recommencer.
        </p>
      )}
      <dl className="facts">
        <dt>Téléphone</dt>
        <dd>{household?.phone ? <a href={`tel:${household.phone.replace(/[^\d+]/g, '')}`}>{household.phone}</a> : 'non renseigné'}</dd>
        <dt>Adresse</dt>
        <dd>
          {household?.dwelling.building.address.label ?? '—'}
          {household?.entrance && `, entrée ${household.entrance}`}
        </dd>
        <dt>Préférence</dt>
        <dd>
          {household?.preferredChannel ? CONTACT_CHANNEL[household.preferredChannel] : 'non dite'}
          {household &&
            household.preferredTimes.length > 0 &&
            `, ${household.preferredTimes.map((slot) => CONTACT_TIME_SLOT[slot]).join(', ')}`}
        </dd>
        <dt>Sur la liste car</dt>
        <dd>{call.listedFor.map((reason) => CALL_LIST_REASON[reason]).join(', ')}</dd>
        <dt>État</dt>
        <dd data-testid="call-status">
          {CALL_STATUS[call.status]}
          {call.nextAttemptOn && call.attempts.length > 0 && ` — prochain essai le ${formatDate(`${call.nextAttemptOn}T12:00:00Z`)}`}
        </dd>
        {call.attempts.length > 0 && (
          <>
            <dt>Essais</dt>
            <dd>
              <ol className="attempts">
                {call.attempts.map((attempt) => (
                  <li key={attempt.attemptedAt}>
                    {formatDateTime(attempt.attemptedAt)} : {CALL_OUTCOME[attempt.outcome]}
                  </li>
                ))}
              </ol>
            </dd>
          </>
        )}
        {call.claimExpiresAt && call.heldByMe && (
          <>
            <dt>En main jusqu’à</dt>
            <dd>{formatDateTime(call.claimExpiresAt)}</dd>
          </>
        )}
      </dl>
      {call.needs.includes('URGENT_HEALTH') && <UrgentHealth />}
      {open && <AttemptForm onRecord={record} />}
      {call.status === 'REACHED' && (
        <Referrals
          call={call}
          partners={partners}
          onConsent={(value) => void consent(value)}
          onRefer={(need, id) => void refer(need, id)}
        />
      )}
      {error && (
        <p className="alert" role="alert">
          {error}
        </p>
      )}
      {open && call.heldByMe && (
        <button type="button" className="secondary" onClick={() => void release()}>
          Rendre l’appel (un collègue le prendra)
        </button>
      )}
    </article>
  );
}

function UrgentHealth() {
  return (
    <p className="alert urgent" role="alert" data-testid="urgent-health">
      <strong>Urgence santé : appelez le 15 (SAMU) ou le 112 maintenant.</strong> Ne transmettez pas ce besoin à un partenaire.
    </p>
  );
}

/** The outcome of this attempt: not reached in one click; reached with the needs expressed and the consent to referral. */
function AttemptForm({
  onRecord,
}: {
  onRecord: (outcome: CallOutcome, reached?: { needs: CallNeed[]; referralConsent: ReferralConsent | null }) => Promise<void>;
}) {
  const [needs, setNeeds] = useState<CallNeed[]>([]);
  const [referralConsent, setReferralConsent] = useState<ReferralConsent | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (outcome: CallOutcome) => {
    setBusy(true);
    await onRecord(outcome, outcome === 'REACHED' ? { needs, referralConsent } : undefined);
    setBusy(false);
  };
  return (
    <div className="attempt">
      <fieldset>
        <legend>Le locataire n’est pas joint</legend>
        {NOT_REACHED_OUTCOMES.map((outcome) => (
          <button key={outcome} type="button" className="secondary" disabled={busy} onClick={() => void run(outcome)}>
            {CALL_OUTCOME[outcome]}
          </button>
        ))}
      </fieldset>
      <form
        aria-label="Le locataire est joint"
        onSubmit={(event) => {
          event.preventDefault();
          void run('REACHED');
        }}
      >
        <fieldset>
          <legend>Le locataire est joint : ses besoins</legend>
          {NEEDS.map((need) => (
            <label key={need} className="check">
              <input
                type="checkbox"
                checked={needs.includes(need)}
                onChange={(event) => setNeeds((chosen) => (event.target.checked ? [...chosen, need] : chosen.filter((n) => n !== need)))}
              />
              {CALL_NEED[need]}
              {need === 'URGENT_HEALTH' && ' (appeler le 15 ou le 112)'}
            </label>
          ))}
        </fieldset>
        {needs.includes('URGENT_HEALTH') && <UrgentHealth />}
        <fieldset>
          <legend>Accepte-t-il qu’un partenaire du quartier le contacte pour ses besoins ?</legend>
          {(['GIVEN', 'REFUSED'] as const).map((value) => (
            <label key={value} className="check">
              <input type="radio" name="referral-consent" checked={referralConsent === value} onChange={() => setReferralConsent(value)} />
              {value === 'GIVEN' ? 'Oui, il y consent' : 'Non'}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={busy}>
          Enregistrer : joint
        </button>
      </form>
    </div>
  );
}

/** The needs of a reached household and where they went: to a partner offering the service, only with consent. */
function Referrals({
  call,
  partners,
  onConsent,
  onRefer,
}: {
  call: Call;
  partners: Partner[];
  onConsent: (consent: ReferralConsent) => void;
  onRefer: (need: CallNeed, partnerId: string) => void;
}) {
  const consented = call.referralConsent === 'GIVEN';
  return (
    <section aria-labelledby="referrals-title" className="referrals">
      <h5 id="referrals-title">Besoins et orientation vers un partenaire</h5>
      <p data-testid="referral-consent">
        Consentement à l’orientation : <strong>{REFERRAL_CONSENT[call.referralConsent]}</strong>
      </p>
      {call.needs.length === 0 && <p>Aucun besoin exprimé.</p>}
      <ul className="needs">
        {call.needs.map((need) => {
          const referral = call.referrals.find((candidate) => candidate.need === need && candidate.status !== 'NOT_DONE');
          return (
            <li key={need} data-testid={`need-${need}`}>
              <strong>{CALL_NEED[need]}</strong>
              {need === 'URGENT_HEALTH' ? (
                ' : urgence, jamais orientée vers un partenaire.'
              ) : referral ? (
                ` : orienté vers ${referral.partner.name} (${REFERRAL_STATUS[referral.status]})`
              ) : consented ? (
                <ReferForm need={need} partners={partners} onRefer={onRefer} />
              ) : (
                ' : sans le consentement du locataire, rien ne sort de chez le bailleur.'
              )}
            </li>
          );
        })}
      </ul>
      {consented && (
        <button type="button" className="secondary" onClick={() => onConsent('WITHDRAWN')}>
          Le locataire retire son consentement
        </button>
      )}
      {!consented && call.needs.some((need) => need !== 'URGENT_HEALTH') && (
        <button type="button" className="secondary" onClick={() => onConsent('GIVEN')}>
          Le locataire donne son consentement
        </button>
      )}
    </section>
  );
}

function ReferForm({
  need,
  partners,
  onRefer,
}: {
  need: Exclude<CallNeed, 'URGENT_HEALTH'>;
  partners: Partner[];
  onRefer: (need: CallNeed, partnerId: string) => void;
}) {
  const offering = partners.filter((partner) => partner.services.includes(SERVICE_FOR_NEED[need]));
  const [partnerId, setPartnerId] = useState(offering[0]?.id ?? '');
  if (offering.length === 0) return <> : aucun partenaire du quartier n’offre ce service.</>;
  return (
    <form
      className="inline-form"
      aria-label={`Orienter : ${CALL_NEED[need]}`}
      onSubmit={(event) => {
        event.preventDefault();
        onRefer(need, partnerId);
      }}
    >
      <label htmlFor={`refer-${need}`}>Partenaire</label>
      <select id={`refer-${need}`} value={partnerId} onChange={(event) => setPartnerId(event.target.value)}>
        {offering.map((partner) => (
          <option key={partner.id} value={partner.id}>
            {partner.name}
          </option>
        ))}
      </select>
      <button type="submit">Orienter</button>
    </form>
  );
}
