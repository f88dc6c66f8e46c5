import { useEffect, useState, type SubmitEvent } from 'react';
import { execute, useToken } from '../client';
import { Failure, Loading } from '../components/Status';
import { WebSignInIdentitiesDocument, type WebSignInIdentitiesQuery } from '../gql/graphql';
import { ROLE } from '../labels';
import type { OidcConfig } from '../oidc';
import { sessionFromToken, type Role, type Session } from '../session';

export type SignInConfig = { mode: 'development' } | ({ mode: 'oidc' } & OidcConfig) | { mode: 'none' };

async function developmentToken(claims: Record<string, unknown>): Promise<string> {
  const response = await fetch('/auth/dev-token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(claims),
  });
  const body = (await response.json()) as { token?: string; errors?: { message: string }[] };
  if (!body.token) throw new Error(body.errors?.[0]?.message ?? `Le serveur a répondu ${response.status}.`);
  return body.token;
}

export function SignInScreen(props: { config: SignInConfig | null; failure: string | null; onSignedIn: (session: Session) => void }) {
  const { config, failure, onSignedIn } = props;
  return (
    <main id="main" className="sign-in">
      <h1>Quartier Commun</h1>
      <p>Le tableau de bord des bailleurs sociaux et de la coordination d’un quartier prioritaire (QPV).</p>
      {failure && <Failure>La connexion a échoué : {failure}</Failure>}
      {config === null && <Loading what="de la connexion" />}
      {config?.mode === 'development' && <DevelopmentSignIn onSignedIn={onSignedIn} />}
      {config?.mode === 'oidc' && <OidcSignIn config={config} />}
      {config?.mode === 'none' && <Failure>Aucune connexion n’est configurée sur ce serveur (OIDC_ISSUER et OIDC_CLIENT_ID).</Failure>}
    </main>
  );
}

/** Production: the landlords' identity provider (OpenID Connect, authorization code with PKCE). */
function OidcSignIn({ config }: { config: OidcConfig }) {
  const [failure, setFailure] = useState<string | null>(null);
  const start = () => {
    setFailure(null);
    // Loaded only here: people signed in never download the OpenID Connect client.
    import('../oidc')
      .then(({ startOidcSignIn }) => startOidcSignIn(config))
      .catch((error: unknown) => setFailure(error instanceof Error ? error.message : String(error)));
  };
  return (
    <div className="card">
      <p>Connectez-vous avec le compte que votre organisme vous a donné.</p>
      {failure && <Failure>La connexion a échoué : {failure}</Failure>}
      <button type="button" onClick={start}>
        Se connecter
      </button>
    </div>
  );
}

/** Development only: pick a role and an identity from the demo data; the gateway signs the token with its development secret. */
function DevelopmentSignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [scope, setScope] = useState<WebSignInIdentitiesQuery | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [role, setRole] = useState<Role>('COORDINATOR');
  const [identity, setIdentity] = useState('');
  useEffect(() => {
    // The demo's districts and landlords, read once with an administrator's development token.
    developmentToken({ role: 'ADMIN', sub: 'sign-in-page' })
      .then((token) => {
        useToken(token, () => undefined);
        return execute(WebSignInIdentitiesDocument, {});
      })
      .then((result) => {
        useToken(undefined, () => undefined);
        setScope(result.data);
        setIdentity(result.data?.districts[0]?.id ?? '');
      })
      .catch((error: unknown) => setFailure(error instanceof Error ? error.message : String(error)));
  }, []);
  if (failure) return <Failure>Les données de démonstration n’ont pas pu être lues : {failure}</Failure>;
  if (!scope) return <Loading what="des identités de démonstration" />;
  const identitiesOf = (of: Role) =>
    of === 'COORDINATOR' ? scope.districts : of === 'LANDLORD_STAFF' ? scope.landlords : of === 'PARTNER' ? scope.partners : [];
  const identities = identitiesOf(role);
  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const scopeClaims =
      role === 'COORDINATOR'
        ? { districtIds: [identity] }
        : role === 'LANDLORD_STAFF'
          ? { landlordId: identity }
          : role === 'PARTNER'
            ? { partnerId: identity }
            : {};
    try {
      const token = await developmentToken({ role, sub: `demo-${role.toLowerCase()}`, ...scopeClaims });
      onSignedIn(sessionFromToken(token));
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <form className="card" onSubmit={(event) => void submit(event)} aria-labelledby="dev-sign-in-title">
      <h2 id="dev-sign-in-title">Connexion de développement</h2>
      <p className="muted">Réservée au développement : en production, la connexion passe par le fournisseur d’identité des bailleurs.</p>
      <label htmlFor="sign-in-role">Rôle</label>
      <select
        id="sign-in-role"
        value={role}
        onChange={(event) => {
          const next = event.target.value as Role;
          setRole(next);
          setIdentity(identitiesOf(next)[0]?.id ?? '');
        }}
      >
        {(['COORDINATOR', 'LANDLORD_STAFF', 'PARTNER', 'ADMIN'] as const).map((value) => (
          <option key={value} value={value}>
            {ROLE[value]}
          </option>
        ))}
      </select>
      {identities.length > 0 && (
        <>
          <label htmlFor="sign-in-identity">
            {role === 'COORDINATOR' ? 'Quartier coordonné' : role === 'LANDLORD_STAFF' ? 'Bailleur' : 'Partenaire'}
          </label>
          <select id="sign-in-identity" value={identity} onChange={(event) => setIdentity(event.target.value)}>
            {identities.map((item) => (
              <option key={item.id} value={item.id}>
                {item.name}
              </option>
            ))}
          </select>
        </>
      )}
      <p>
        <button type="submit">Se connecter</button>
      </p>
    </form>
  );
}
