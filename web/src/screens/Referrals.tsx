import { useState } from 'react';
import { GraphRequestError, execute, mutate } from '../client';
import { Failure, Loading } from '../components/Status';
import { formatDateTime } from '../format';
import { WebRecordReferralOutcomeDocument, WebReferralsDocument, type WebReferralDetailsFragment } from '../gql/graphql';
import { CALL_NEED, REFERRAL_STATUS } from '../labels';
import { useGraph } from '../useGraph';

/**
 * A partner's « Orientations reçues »: each need a landlord passed on with the tenant's consent, with only what it
 * takes to meet it (first name, address and entrance, phone), and whether it was met.
 */
export function ReceivedReferrals() {
  const { data, failure, loading } = useGraph(WebReferralsDocument, {});
  if (failure) return <Failure>Les orientations n’ont pas pu être chargées : {failure}</Failure>;
  const referrals = data?.referrals.nodes;
  // What is left to do first; the others folded, as they were when the page was opened (a card just marked stays put).
  const pending = referrals?.filter((referral) => referral.status === 'PENDING') ?? [];
  const others = referrals?.filter((referral) => referral.status !== 'PENDING') ?? [];
  return (
    <section aria-labelledby="received-title" data-testid="received-referrals">
      <h2 id="received-title">Orientations reçues</h2>
      {!referrals && loading && <Loading what="des orientations" />}
      {referrals && pending.length === 0 && <p>Aucune orientation à traiter pour l’instant.</p>}
      <ul className="cards">
        {pending.map((referral) => (
          <ReferralCard key={referral.id} referral={referral} />
        ))}
      </ul>
      {others.length > 0 && (
        <details className="card">
          <summary>Orientations traitées ou retirées ({others.length})</summary>
          <ul className="cards">
            {others.map((referral) => (
              <ReferralCard key={referral.id} referral={referral} />
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function ReferralCard({ referral: shown }: { referral: WebReferralDetailsFragment }) {
  const [referral, setReferral] = useState(shown);
  const [message, setMessage] = useState<string | null>(null);
  const contact = referral.contact;
  const record = async (done: boolean) => {
    setMessage(null);
    try {
      const { recordReferralOutcome } = await mutate(WebRecordReferralOutcomeDocument, {
        id: referral.id,
        done,
        expectedVersion: referral.version,
      });
      setReferral(recordReferralOutcome);
    } catch (caught) {
      if (caught instanceof GraphRequestError && caught.code === 'CONFLICT') {
        const fresh = (await execute(WebReferralsDocument, {})).data?.referrals.nodes.find((node) => node.id === referral.id);
        if (fresh) setReferral(fresh);
        setMessage('Cette orientation a changé entre-temps : voici son état actuel.');
      } else {
        setMessage(caught instanceof Error ? caught.message : String(caught));
      }
    }
  };
  return (
    <li className="card" data-testid="referral" aria-labelledby={`referral-${referral.id}`}>
      <h3 id={`referral-${referral.id}`}>
        {CALL_NEED[referral.need]} — {contact?.firstName ?? 'locataire'}
      </h3>
      <p className="muted">
        {referral.campaign.title}, le {formatDateTime(referral.referredAt)}
      </p>
      {contact ? (
        <dl className="facts">
          <dt>Prénom</dt>
          <dd>{contact.firstName ?? 'non renseigné'}</dd>
          <dt>Adresse</dt>
          <dd>
            {contact.address}
            {contact.entrance && `, entrée ${contact.entrance}`}
          </dd>
          <dt>Téléphone</dt>
          <dd>{contact.phone ? <a href={`tel:${contact.phone.replace(/[^\d+]/g, '')}`}>{contact.phone}</a> : 'non renseigné'}</dd>
        </dl>
      ) : (
        <p>Le locataire a retiré son consentement, ou la campagne est close : ses coordonnées ne sont plus communiquées.</p>
      )}
      <p data-testid="referral-status">
        État : <strong>{REFERRAL_STATUS[referral.status]}</strong>
        {referral.outcomeAt && `, le ${formatDateTime(referral.outcomeAt)}`}
      </p>
      {message && (
        <p role="status" className="notice">
          {message}
        </p>
      )}
      {referral.status === 'PENDING' && (
        <div className="toolbar">
          <button type="button" onClick={() => void record(true)}>
            Fait
          </button>
          <button type="button" className="secondary" onClick={() => void record(false)}>
            Pas fait
          </button>
        </div>
      )}
    </li>
  );
}
