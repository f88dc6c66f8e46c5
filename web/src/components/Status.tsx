import type { ReactNode } from 'react';
import type { GraphError } from '../client';

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="muted">
      Chargement {what}…
    </p>
  );
}

export function Failure({ children }: { children: ReactNode }) {
  return (
    <p role="alert" className="alert">
      {children}
    </p>
  );
}

/** Parts of a page left empty because their subgraph failed or the caller may not read them, said plainly. */
export function PartialNotice({ errors }: { errors: GraphError[] }) {
  if (errors.length === 0) return null;
  const unavailable = errors.some((error) => ['SUBGRAPH_TIMEOUT', 'SUBGRAPH_UNAVAILABLE'].includes(error.extensions?.code ?? ''));
  return (
    <p role="status" className="notice">
      {unavailable
        ? 'Une partie des données est momentanément indisponible ; le reste de la page est à jour.'
        : 'Certaines informations ne vous sont pas accessibles et ne sont pas affichées.'}
    </p>
  );
}
