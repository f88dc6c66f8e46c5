import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { GraphRequestError, execute, mutate, refusalMessage } from '../client';
import { Failure, Loading, PartialNotice } from '../components/Status';
import { formatDate, formatDateTime, formatInteger } from '../format';
import {
  WebActionDocument,
  WebCancelActionDocument,
  WebCompleteActionDocument,
  WebDistrictActionsDocument,
  WebAcceptActionInvitationDocument,
  WebDeclineActionInvitationDocument,
  WebInviteToActionDocument,
  WebLeaveActionDocument,
  WebProposeActionDocument,
  WebScheduleActionDocument,
  type ActionKind,
  type ActionStatus,
  type TfpbAxis,
  type WebActionDetailsFragment,
} from '../gql/graphql';
import { ACTION_KIND, ACTION_STATUS, TFPB_AXIS } from '../labels';
import type { Session } from '../session';
import { useGraph } from '../useGraph';

type Action = WebActionDetailsFragment;
const STATUSES: ActionStatus[] = ['PROPOSED', 'SCHEDULED', 'DONE', 'CANCELLED'];

export function ActionsScreen({ districtId, session }: { districtId: string; session: Session }) {
  const { data, errors, failure, loading, reload } = useGraph(WebDistrictActionsDocument, { districtId });
  const [openId, setOpenId] = useState<string | null>(null);
  const [month, setMonth] = useState(() => new Date());
  if (failure) return <Failure>Les actions n’ont pas pu être chargées : {failure}</Failure>;
  const district = data?.district;
  if (!district) return loading ? <Loading what="des actions" /> : <Failure>Quartier introuvable.</Failure>;
  const actions = district.actions ?? [];
  const open = actions.find((action) => action.id === openId);

  return (
    <>
      <h1>Actions de pied d’immeuble</h1>
      <PartialNotice errors={errors} />
      {session.role === 'LANDLORD_STAFF' && (
        <ProposeForm
          districtId={districtId}
          partners={district.partners ?? []}
          onProposed={(action) => {
            reload();
            setOpenId(action.id);
          }}
        />
      )}
      {session.role === 'LANDLORD_STAFF' && <PendingInvitations actions={actions} landlordId={session.landlordId} onOpen={setOpenId} />}
      {open && (
        <ActionPanel
          key={open.id}
          action={open}
          landlords={district.landlords}
          session={session}
          onChanged={reload}
          onClose={() => setOpenId(null)}
        />
      )}
      <section aria-labelledby="board-title">
        <h2 id="board-title">Tableau par statut</h2>
        <div className="board">
          {STATUSES.map((status) => {
            const inColumn = actions.filter((action) => action.status === status);
            return (
              <section key={status} className="column" aria-labelledby={`column-${status}`} data-testid={`column-${status}`}>
                <h3 id={`column-${status}`}>
                  {ACTION_STATUS[status]} ({formatInteger(inColumn.length)})
                </h3>
                <ul>
                  {inColumn.map((action) => (
                    <li key={action.id}>
                      <button
                        type="button"
                        className="action-chip"
                        onClick={() => setOpenId(action.id)}
                        aria-expanded={openId === action.id}
                      >
                        <strong>{action.title}</strong>
                        <span>{ACTION_KIND[action.kind]}</span>
                        {action.startsAt && <span>{formatDateTime(action.startsAt)}</span>}
                      </button>
                    </li>
                  ))}
                </ul>
              </section>
            );
          })}
        </div>
      </section>
      <Calendar month={month} onMonth={setMonth} actions={actions} onOpen={setOpenId} />
    </>
  );
}

/** The invitations waiting for the caller's landlord to answer. */
function PendingInvitations({
  actions,
  landlordId,
  onOpen,
}: {
  actions: Action[];
  landlordId: string | undefined;
  onOpen: (id: string) => void;
}) {
  const invitedTo = actions.filter((action) =>
    action.invitations.some((invitation) => invitation.landlord.id === landlordId && invitation.status === 'PENDING'),
  );
  if (invitedTo.length === 0) return null;
  return (
    <section className="card" aria-labelledby="invitations-title" data-testid="pending-invitations">
      <h2 id="invitations-title">Invitations à co-organiser ({formatInteger(invitedTo.length)})</h2>
      <ul>
        {invitedTo.map((action) => (
          <li key={action.id}>
            <button type="button" className="secondary" onClick={() => onOpen(action.id)}>
              {action.title}
            </button>{' '}
            proposée par {action.leadOrganiser.name}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A month of scheduled and done actions, Monday first. */
function Calendar({
  month,
  onMonth,
  actions,
  onOpen,
}: {
  month: Date;
  onMonth: (month: Date) => void;
  actions: Action[];
  onOpen: (id: string) => void;
}) {
  const first = new Date(month.getFullYear(), month.getMonth(), 1);
  const days = new Date(month.getFullYear(), month.getMonth() + 1, 0).getDate();
  const offset = (first.getDay() + 6) % 7;
  const cells: (number | null)[] = [...Array<null>(offset).fill(null), ...Array.from({ length: days }, (_, index) => index + 1)];
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, index) => cells.slice(index * 7, index * 7 + 7));
  const title = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric' }).format(first);
  const onDay = (day: number) =>
    actions.filter((action) => {
      if (!action.startsAt) return false;
      const starts = new Date(action.startsAt);
      return starts.getFullYear() === first.getFullYear() && starts.getMonth() === first.getMonth() && starts.getDate() === day;
    });
  return (
    <section aria-labelledby="calendar-title">
      <div className="calendar-head">
        <h2 id="calendar-title">Calendrier — {title}</h2>
        <button type="button" onClick={() => onMonth(new Date(first.getFullYear(), first.getMonth() - 1, 1))}>
          Mois précédent
        </button>
        <button type="button" onClick={() => onMonth(new Date(first.getFullYear(), first.getMonth() + 1, 1))}>
          Mois suivant
        </button>
      </div>
      <table className="calendar">
        <caption className="visually-hidden">Actions programmées en {title}</caption>
        <thead>
          <tr>
            {['lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.', 'dim.'].map((day) => (
              <th key={day} scope="col">
                {day}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week, index) => (
            <tr key={index}>
              {week.map((day, column) => (
                <td key={column}>
                  {day !== null && (
                    <>
                      <span className="day">{day}</span>
                      {onDay(day).map((action) => (
                        <button key={action.id} type="button" className="calendar-action" onClick={() => onOpen(action.id)}>
                          {action.title}
                        </button>
                      ))}
                    </>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** What to tell the person about a field the graph refused (its own messages are in English, for developers). */
const FIELD_MESSAGES: Record<string, string> = {
  title: 'Indiquez un intitulé (200 caractères au plus).',
  description: 'La description est trop longue (2 000 caractères au plus).',
  tfpbAxis: 'Cet axe de l’abattement de TFPB ne convient pas à cette action.',
  partnerIds: 'Un des partenaires choisis n’intervient pas dans ce quartier.',
};

/** The field a BAD_USER_INPUT error names, so that the form shows the message beside it. */
function fieldErrorOf(error: unknown): { field: string | undefined; message: string } {
  if (error instanceof GraphRequestError) {
    const first = error.errors[0];
    const field = first?.extensions?.code === 'BAD_USER_INPUT' ? first.extensions.field : undefined;
    return { field, message: (field && FIELD_MESSAGES[field]) ?? error.message };
  }
  return { field: undefined, message: error instanceof Error ? error.message : String(error) };
}

function ProposeForm({
  districtId,
  partners,
  onProposed,
}: {
  districtId: string;
  partners: { id: string; name: string }[];
  onProposed: (action: Action) => void;
}) {
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<ActionKind>('CLEAN_UP');
  const [axis, setAxis] = useState<TfpbAxis | ''>('');
  const [partnerIds, setPartnerIds] = useState<string[]>([]);
  const [error, setError] = useState<{ field: string | undefined; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { proposeAction } = await mutate(WebProposeActionDocument, {
        input: { districtId, title, kind, ...(axis && { tfpbAxis: axis }), ...(partnerIds.length > 0 && { partnerIds }) },
      });
      setTitle('');
      onProposed(proposeAction);
    } catch (caught) {
      setError(fieldErrorOf(caught));
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (field: string) =>
    error?.field === field ? (
      <p id={`propose-${field}-error`} className="field-error" role="alert">
        {error.message}
      </p>
    ) : null;
  return (
    <details className="card">
      <summary>Proposer une action</summary>
      <form onSubmit={(event) => void submit(event)} noValidate aria-label="Proposer une action">
        <label htmlFor="propose-title">Intitulé</label>
        <input
          id="propose-title"
          value={title}
          onChange={(event) => setTitle(event.target.value)}
          aria-invalid={error?.field === 'title'}
          aria-describedby={error?.field === 'title' ? 'propose-title-error' : undefined}
        />
        {fieldError('title')}
        <label htmlFor="propose-kind">Type d’action</label>
        <select id="propose-kind" value={kind} onChange={(event) => setKind(event.target.value as ActionKind)}>
          {Object.entries(ACTION_KIND).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <label htmlFor="propose-axis">Axe de l’abattement de TFPB</label>
        <select id="propose-axis" value={axis} onChange={(event) => setAxis(event.target.value as TfpbAxis | '')}>
          <option value="">Hors abattement</option>
          {Object.entries(TFPB_AXIS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        {fieldError('tfpbAxis')}
        <fieldset>
          <legend>Partenaires associés</legend>
          {partners.map((partner) => (
            <label key={partner.id} className="check">
              <input
                type="checkbox"
                checked={partnerIds.includes(partner.id)}
                onChange={(event) =>
                  setPartnerIds((ids) => (event.target.checked ? [...ids, partner.id] : ids.filter((id) => id !== partner.id)))
                }
              />
              {partner.name}
            </label>
          ))}
        </fieldset>
        {fieldError('partnerIds')}
        {error && !['title', 'tfpbAxis', 'partnerIds'].includes(error.field ?? '') && (
          <p className="alert" role="alert">
            {error.message}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Proposer
        </button>
      </form>
    </details>
  );
}

/** One action, and what the caller may do with it. Every change sends the version shown; CONFLICT shows the fresh one. */
function ActionPanel(props: {
  action: Action;
  landlords: { id: string; name: string }[];
  session: Session;
  onChanged: () => void;
  onClose: () => void;
}) {
  const { action: shown, landlords, session, onChanged, onClose } = props;
  const [action, setAction] = useState(shown);
  const [conflict, setConflict] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setAction(shown), [shown]);
  // Opened from the board or the calendar, further down: bring the panel into view and keyboard focus there.
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    panel.current?.scrollIntoView({ block: 'start' });
    panel.current?.focus();
  }, []);

  const change = async (run: () => Promise<Action>) => {
    setError(null);
    try {
      setAction(await run());
      setConflict(false);
      onChanged();
    } catch (caught) {
      if (caught instanceof GraphRequestError && caught.code === 'CONFLICT') {
        // Never overwrite someone else's change: show what the action is now, and let the person decide again.
        const fresh = await execute(WebActionDocument, { id: action.id });
        if (fresh.data?.action) setAction(fresh.data.action);
        setConflict(true);
      } else {
        setError(refusalMessage(caught, 'Votre rôle ne vous permet pas cette opération sur cette action.'));
      }
    }
  };
  const staff = session.role === 'LANDLORD_STAFF';
  const isOrganiser = staff && action.organisers.some((landlord) => landlord.id === session.landlordId);
  const isLead = staff && action.leadOrganiser.id === session.landlordId;
  const coordinates = session.role === 'COORDINATOR' || session.role === 'ADMIN';
  const live = action.status === 'PROPOSED' || action.status === 'SCHEDULED';
  const invited =
    staff && action.invitations.some((invitation) => invitation.landlord.id === session.landlordId && invitation.status === 'PENDING');
  const invitable = landlords.filter(
    (landlord) =>
      !action.organisers.some((organiser) => organiser.id === landlord.id) &&
      !action.invitations.some((invitation) => invitation.landlord.id === landlord.id && invitation.status === 'PENDING'),
  );
  const run = <T,>(pick: (data: T) => Action, request: () => Promise<T>) => change(async () => pick(await request()));

  return (
    <section ref={panel} tabIndex={-1} className="card action-panel" aria-labelledby="action-title" data-testid="action-panel">
      <h2 id="action-title">{action.title}</h2>
      {conflict && (
        <p role="alert" className="alert" data-testid="conflict">
          Cette action a été modifiée par quelqu’un d’autre pendant que vous la consultiez. Voici sa version à jour (version{' '}
          {action.version}) : vérifiez-la avant de recommencer.
        </p>
      )}
      {error && (
        <p role="alert" className="alert">
          {error}
        </p>
      )}
      <dl>
        <dt>Statut</dt>
        <dd data-testid="action-status">{ACTION_STATUS[action.status]}</dd>
        <dt>Type</dt>
        <dd>{ACTION_KIND[action.kind]}</dd>
        <dt>Axe TFPB</dt>
        <dd>{action.tfpbAxis ? TFPB_AXIS[action.tfpbAxis] : 'Hors abattement'}</dd>
        <dt>Pilote</dt>
        <dd>{action.leadOrganiser.name}</dd>
        <dt>Organisateurs</dt>
        <dd data-testid="action-organisers">{action.organisers.map((landlord) => landlord.name).join(', ')}</dd>
        {action.invitations.length > 0 && (
          <>
            <dt>Invitations</dt>
            <dd data-testid="action-invitations">
              {action.invitations
                .map((invitation) => `${invitation.landlord.name} (${invitation.status === 'PENDING' ? 'en attente' : 'déclinée'})`)
                .join(', ')}
            </dd>
          </>
        )}
        <dt>Partenaires</dt>
        <dd>{action.partners === null ? 'indisponible' : action.partners.map((partner) => partner.name).join(', ') || 'aucun'}</dd>
        {action.startsAt && (
          <>
            <dt>Quand</dt>
            <dd>
              du {formatDateTime(action.startsAt)}
              {action.endsAt && ` au ${formatDateTime(action.endsAt)}`}
            </dd>
          </>
        )}
        {action.outcome && (
          <>
            <dt>Bilan</dt>
            <dd data-testid="action-outcome">
              {formatInteger(action.outcome.participants)} participants, le {formatDate(action.outcome.completedAt)}
              {action.outcome.notes && ` — ${action.outcome.notes}`}
            </dd>
          </>
        )}
        {action.cancellationReason && (
          <>
            <dt>Motif d’annulation</dt>
            <dd>{action.cancellationReason}</dd>
          </>
        )}
      </dl>
      {invited && live && (
        <div className="toolbar">
          <button
            type="button"
            onClick={() =>
              void run(
                (data) => data.acceptActionInvitation,
                () => mutate(WebAcceptActionInvitationDocument, { id: action.id, expectedVersion: action.version }),
              )
            }
          >
            Accepter l’invitation
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() =>
              void run(
                (data) => data.declineActionInvitation,
                () => mutate(WebDeclineActionInvitationDocument, { id: action.id, expectedVersion: action.version }),
              )
            }
          >
            Décliner l’invitation
          </button>
        </div>
      )}
      {(isOrganiser || coordinates) && live && invitable.length > 0 && (
        <InviteForm
          key={invitable.map((landlord) => landlord.id).join()}
          landlords={invitable}
          onInvite={(landlordId) =>
            run(
              (data) => data.inviteToAction,
              () => mutate(WebInviteToActionDocument, { id: action.id, landlordId, expectedVersion: action.version }),
            )
          }
        />
      )}
      {(isOrganiser || coordinates) && live && (
        <ScheduleForm
          action={action}
          onSchedule={(startsAt, endsAt) =>
            change(
              async () =>
                (await mutate(WebScheduleActionDocument, { id: action.id, startsAt, endsAt, expectedVersion: action.version }))
                  .scheduleAction,
            )
          }
        />
      )}
      {(isOrganiser || coordinates) && action.status === 'SCHEDULED' && (
        <CompleteForm
          onComplete={(participants, notes) =>
            change(
              async () =>
                (
                  await mutate(WebCompleteActionDocument, {
                    id: action.id,
                    outcome: { participants, ...(notes && { notes }) },
                    expectedVersion: action.version,
                  })
                ).completeAction,
            )
          }
        />
      )}
      {isOrganiser && !isLead && live && (
        <button
          type="button"
          className="secondary"
          onClick={() =>
            void run(
              (data) => data.leaveAction,
              () => mutate(WebLeaveActionDocument, { id: action.id, expectedVersion: action.version }),
            )
          }
        >
          Quitter l’action
        </button>
      )}
      {(isLead || coordinates) && live && (
        <CancelForm
          onCancel={(reason) =>
            change(
              async () => (await mutate(WebCancelActionDocument, { id: action.id, reason, expectedVersion: action.version })).cancelAction,
            )
          }
        />
      )}
      <button type="button" className="secondary" onClick={onClose}>
        Fermer
      </button>
    </section>
  );
}

function InviteForm({
  landlords,
  onInvite,
}: {
  landlords: { id: string; name: string }[];
  onInvite: (landlordId: string) => Promise<void>;
}) {
  const [landlordId, setLandlordId] = useState(landlords[0]?.id ?? '');
  return (
    <form
      className="inline-form"
      aria-label="Inviter un bailleur à co-organiser"
      onSubmit={(event) => {
        event.preventDefault();
        void onInvite(landlordId);
      }}
    >
      <label htmlFor="invite-landlord">Bailleur à inviter</label>
      <select id="invite-landlord" value={landlordId} onChange={(event) => setLandlordId(event.target.value)}>
        {landlords.map((landlord) => (
          <option key={landlord.id} value={landlord.id}>
            {landlord.name}
          </option>
        ))}
      </select>
      <button type="submit">Inviter</button>
    </form>
  );
}

function ScheduleForm({ action, onSchedule }: { action: Action; onSchedule: (startsAt: string, endsAt: string) => Promise<void> }) {
  const local = (iso: string | null | undefined) =>
    iso ? new Date(new Date(iso).getTime() - new Date(iso).getTimezoneOffset() * 60_000).toISOString().slice(0, 16) : '';
  const [startsAt, setStartsAt] = useState(local(action.startsAt));
  const [endsAt, setEndsAt] = useState(local(action.endsAt));
  return (
    <form
      className="inline-form"
      aria-label="Programmer"
      onSubmit={(event) => {
        event.preventDefault();
        void onSchedule(new Date(startsAt).toISOString(), new Date(endsAt).toISOString());
      }}
    >
      <label htmlFor="schedule-start">Début</label>
      <input id="schedule-start" type="datetime-local" required value={startsAt} onChange={(event) => setStartsAt(event.target.value)} />
      <label htmlFor="schedule-end">Fin</label>
      <input id="schedule-end" type="datetime-local" required value={endsAt} onChange={(event) => setEndsAt(event.target.value)} />
      <button type="submit">{action.status === 'SCHEDULED' ? 'Déplacer' : 'Programmer'}</button>
    </form>
  );
}

function CompleteForm({ onComplete }: { onComplete: (participants: number, notes: string) => Promise<void> }) {
  const [participants, setParticipants] = useState('');
  const [notes, setNotes] = useState('');
  return (
    <form
      className="inline-form"
      aria-label="Clôturer l’action"
      onSubmit={(event) => {
        event.preventDefault();
        void onComplete(Number(participants), notes);
      }}
    >
      <label htmlFor="complete-participants">Participants</label>
      <input
        id="complete-participants"
        type="number"
        min={0}
        required
        value={participants}
        onChange={(event) => setParticipants(event.target.value)}
      />
      <label htmlFor="complete-notes">Bilan</label>
      <input id="complete-notes" value={notes} onChange={(event) => setNotes(event.target.value)} />
      <button type="submit">Clore l’action</button>
    </form>
  );
}

function CancelForm({ onCancel }: { onCancel: (reason: string) => Promise<void> }) {
  const [reason, setReason] = useState('');
  return (
    <form
      className="inline-form"
      aria-label="Annuler l’action"
      onSubmit={(event) => {
        event.preventDefault();
        void onCancel(reason);
      }}
    >
      <label htmlFor="cancel-reason">Motif d’annulation</label>
      <input id="cancel-reason" required value={reason} onChange={(event) => setReason(event.target.value)} />
      <button type="submit" className="danger">
        Annuler l’action
      </button>
    </form>
  );
}
