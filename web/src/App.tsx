import { Suspense, lazy, useEffect, useState } from 'react';
import { useToken } from './client';
import { Failure, Loading } from './components/Status';
import { WebScopeDocument } from './gql/graphql';
import { ROLE } from './labels';
import { ActionsScreen } from './screens/Actions';
import { DistrictScreen } from './screens/District';
import { PartnersScreen } from './screens/Partners';
import { RequestsScreen } from './screens/Requests';
import { SignInScreen, type SignInConfig } from './screens/SignIn';
import { TfpbScreen } from './screens/Tfpb';
import { OIDC_CALLBACK_PATH } from './oidcPaths';
import { sessionFromToken, storeSession, storedSession, type Session } from './session';
import { useGraph } from './useGraph';

// Its own chunk: the campaign screens are opened a few weeks a year, and should not weigh on the first load.
const CampaignsScreen = lazy(() => import('./screens/Campaigns').then((module) => ({ default: module.CampaignsScreen })));

const SCREENS = [
  { path: '/quartier', label: 'Le quartier' },
  { path: '/actions', label: 'Actions' },
  { path: '/tfpb', label: 'Abattement TFPB', roles: ['ADMIN', 'COORDINATOR', 'LANDLORD_STAFF'] },
  { path: '/partenaires', label: 'Partenaires' },
  { path: '/reclamations', label: 'Mes réclamations', roles: ['LANDLORD_STAFF'] },
  { path: '/campagnes', label: 'Appels de convivialité' },
] as const;

function usePath(): [string, (path: string) => void] {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  return [
    path,
    (next) => {
      window.history.pushState(null, '', next);
      setPath(next);
      window.scrollTo(0, 0);
      document.getElementById('main')?.focus();
    },
  ];
}

export function App() {
  const [session, setSession] = useState<Session | undefined>(storedSession);
  const [config, setConfig] = useState<SignInConfig | null>(null);
  useToken(session?.token, () => {
    storeSession(undefined);
    setSession(undefined);
  });
  const [callbackFailure, setCallbackFailure] = useState<string | null>(null);
  useEffect(() => {
    if (session) return;
    fetch('/auth/config')
      .then((response) => response.json() as Promise<SignInConfig>)
      .then(setConfig, () => setConfig({ mode: 'none' }));
  }, [session]);
  useEffect(() => {
    // Back from the identity provider: finish the sign-in, then open the district.
    if (config?.mode !== 'oidc' || window.location.pathname !== OIDC_CALLBACK_PATH) return;
    import('./oidc')
      .then(({ completeOidcSignIn }) => completeOidcSignIn(config))
      .then((token) => {
        const signedIn = sessionFromToken(token);
        window.history.replaceState(null, '', '/quartier');
        storeSession(signedIn);
        setSession(signedIn);
      })
      .catch((error: unknown) => {
        window.history.replaceState(null, '', '/');
        setCallbackFailure(error instanceof Error ? error.message : String(error));
      });
  }, [config]);
  if (!session) {
    return (
      <SignInScreen
        config={config}
        failure={callbackFailure}
        onSignedIn={(signedIn) => {
          storeSession(signedIn);
          setSession(signedIn);
        }}
      />
    );
  }
  return (
    <SignedIn
      session={session}
      onSignOut={() => {
        storeSession(undefined);
        setSession(undefined);
      }}
    />
  );
}

function SignedIn({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const [path, navigate] = usePath();
  const scope = useGraph(WebScopeDocument, {});
  const [chosenDistrict, setChosenDistrict] = useState<string | null>(null);
  const screens = SCREENS.filter((screen) => !('roles' in screen) || (screen.roles as readonly string[]).includes(session.role));
  const current = screens.find((screen) => screen.path === path) ?? screens[0];
  const districts =
    scope.data?.districts.filter((district) => session.role !== 'COORDINATOR' || session.districtIds?.includes(district.id)) ?? [];
  // A coordinator's districts are in the token: the district page need not wait for the scope query.
  const districtId = chosenDistrict ?? session.districtIds?.[0] ?? districts[0]?.id;
  const landlords = scope.data?.landlords ?? [];

  return (
    <>
      <a href="#main" className="skip-link">
        Aller au contenu
      </a>
      <header className="top no-print">
        <div className="brand">Quartier Commun</div>
        <nav aria-label="Écrans">
          <ul>
            {screens.map((screen) => (
              <li key={screen.path}>
                <a
                  href={screen.path}
                  aria-current={screen === current ? 'page' : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    navigate(screen.path);
                  }}
                >
                  {screen.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          {districts.length > 1 && (
            <>
              <label htmlFor="district-picker">Quartier</label>
              <select id="district-picker" value={districtId} onChange={(event) => setChosenDistrict(event.target.value)}>
                {districts.map((district) => (
                  <option key={district.id} value={district.id}>
                    {district.name}
                  </option>
                ))}
              </select>
            </>
          )}
          <span>
            {ROLE[session.role]}
            {session.role === 'LANDLORD_STAFF' && ` — ${landlords.find((landlord) => landlord.id === session.landlordId)?.name ?? ''}`}
          </span>
          <button type="button" className="secondary" onClick={onSignOut}>
            Se déconnecter
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {scope.failure && <Failure>{scope.failure}</Failure>}
        {!districtId && !scope.data && !scope.failure && <Loading what="de vos quartiers" />}
        {scope.data && !districtId && <Failure>Aucun quartier ne vous est accessible.</Failure>}
        {districtId && current?.path === '/quartier' && <DistrictScreen key={districtId} districtId={districtId} />}
        {districtId && current?.path === '/actions' && <ActionsScreen key={districtId} districtId={districtId} session={session} />}
        {districtId && scope.data && current?.path === '/tfpb' && (
          <TfpbScreen key={districtId} districtId={districtId} landlords={landlords} session={session} />
        )}
        {districtId && current?.path === '/partenaires' && <PartnersScreen key={districtId} districtId={districtId} />}
        {districtId && current?.path === '/reclamations' && session.landlordId && (
          <RequestsScreen key={districtId} districtId={districtId} landlordId={session.landlordId} />
        )}
        {districtId && current?.path === '/campagnes' && (
          <Suspense fallback={<Loading what="de l’écran" />}>
            <CampaignsScreen key={districtId} districtId={districtId} session={session} />
          </Suspense>
        )}
      </main>
    </>
  );
}
