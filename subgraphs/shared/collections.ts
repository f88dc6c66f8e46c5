/**
 * Every collection of the shared graph's database and the subgraph that owns it. Only the owner writes a
 * collection; other subgraphs read the few facts they need through `directory.ts`.
 */
export const COLLECTIONS = {
  landlords: 'landlords', // housing
  districts: 'districts', // housing
  estates: 'estates', // housing
  buildings: 'buildings', // housing
  dwellings: 'dwellings', // housing
  serviceRequests: 'serviceRequests', // tenancy
  households: 'households', // tenancy
  satisfactionSurveys: 'satisfactionSurveys', // tenancy
  actions: 'actions', // actions
  tfpbProgrammes: 'tfpbProgrammes', // actions
  partners: 'partners', // partners
  agreements: 'agreements', // partners
} as const;
