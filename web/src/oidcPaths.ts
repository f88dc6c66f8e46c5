/** Where the identity provider sends people back with their authorization code (a page of this app). */
export const OIDC_CALLBACK_PATH = '/auth/callback';
