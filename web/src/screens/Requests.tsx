import { useState } from 'react';
import { GraphRequestError, mutate } from '../client';
import { Failure, Loading } from '../components/Status';
import { formatDateTime } from '../format';
import { WebLandlordRequestsDocument, WebUpdateRequestDocument, type RequestStatus } from '../gql/graphql';
import { REQUEST_CATEGORY, REQUEST_CHANNEL, REQUEST_STATUS } from '../labels';
import { useGraph } from '../useGraph';

/** Where a request may go from its status, as the graph allows: OPEN → ACKNOWLEDGED → IN_PROGRESS → RESOLVED, or REJECTED before RESOLVED. */
const NEXT: Record<RequestStatus, RequestStatus[]> = {
  OPEN: ['ACKNOWLEDGED', 'REJECTED'],
  ACKNOWLEDGED: ['IN_PROGRESS', 'REJECTED'],
  IN_PROGRESS: ['RESOLVED', 'REJECTED'],
  RESOLVED: [],
  REJECTED: [],
};

export function RequestsScreen({ districtId, landlordId }: { districtId: string; landlordId: string }) {
  const [status, setStatus] = useState<RequestStatus | ''>('');
  const { data, failure, loading, reload } = useGraph(WebLandlordRequestsDocument, { landlordId, districtId, ...(status && { status }) });
  const [message, setMessage] = useState<string | null>(null);
  if (failure) return <Failure>Vos réclamations n’ont pas pu être chargées : {failure}</Failure>;
  const landlord = data?.landlord;
  // Newest first, whichever building they concern.
  const rows = (landlord?.buildings.nodes ?? [])
    .flatMap((building) => (building.requests?.nodes ?? []).map((request) => ({ building, request })))
    .sort((a, b) => b.request.openedAt.localeCompare(a.request.openedAt));

  const update = async (id: string, next: RequestStatus, expectedVersion: number) => {
    try {
      await mutate(WebUpdateRequestDocument, { id, status: next, expectedVersion });
      setMessage(`Réclamation passée à « ${REQUEST_STATUS[next]} ».`);
    } catch (error) {
      setMessage(
        error instanceof GraphRequestError && error.code === 'CONFLICT'
          ? 'Cette réclamation a été modifiée entre-temps : la liste est rechargée, vérifiez avant de recommencer.'
          : `Échec : ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    reload();
  };

  return (
    <>
      <h1>Mes réclamations{landlord && ` — ${landlord.name}`}</h1>
      <form className="filters" aria-label="Filtrer" onSubmit={(event) => event.preventDefault()}>
        <label htmlFor="request-status">Statut</label>
        <select id="request-status" value={status} onChange={(event) => setStatus(event.target.value as RequestStatus | '')}>
          <option value="">Tous</option>
          {Object.entries(REQUEST_STATUS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </form>
      {message && (
        <p role="status" className="notice">
          {message}
        </p>
      )}
      {!landlord ? (
        loading ? (
          <Loading what="des réclamations" />
        ) : (
          <Failure>Bailleur introuvable.</Failure>
        )
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Tableau des réclamations, défilant horizontalement">
          <table data-testid="requests-table" aria-busy={loading}>
            <caption className="visually-hidden">Réclamations des locataires, par bâtiment</caption>
            <thead>
              <tr>
                <th scope="col">Bâtiment</th>
                <th scope="col">Motif</th>
                <th scope="col">Canal</th>
                <th scope="col">Reçue le</th>
                <th scope="col">Statut</th>
                <th scope="col">Changer le statut</th>
              </tr>
            </thead>
            <tbody>
              {rows.length === 0 && (
                <tr>
                  <td colSpan={6}>Aucune réclamation{status && ` au statut « ${REQUEST_STATUS[status]} »`} dans ce quartier.</td>
                </tr>
              )}
              {rows.map(({ building, request }) => (
                <tr key={request.id}>
                  <td>{building.address.label}</td>
                  <td>{REQUEST_CATEGORY[request.category]}</td>
                  <td>{REQUEST_CHANNEL[request.channel]}</td>
                  <td>{formatDateTime(request.openedAt)}</td>
                  <td>{REQUEST_STATUS[request.status]}</td>
                  <td>
                    {NEXT[request.status].length > 0 && (
                      <select
                        disabled={loading}
                        aria-label={`Nouveau statut de la réclamation du ${formatDateTime(request.openedAt)}, ${building.address.label}`}
                        value=""
                        onChange={(event) => void update(request.id, event.target.value as RequestStatus, request.version)}
                      >
                        <option value="">—</option>
                        {NEXT[request.status].map((next) => (
                          <option key={next} value={next}>
                            {REQUEST_STATUS[next]}
                          </option>
                        ))}
                      </select>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
