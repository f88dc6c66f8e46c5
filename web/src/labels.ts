import type {
  ActionKind,
  ActionStatus,
  AgreementKind,
  PartnerKind,
  PartnerService,
  RequestCategory,
  RequestChannel,
  RequestStatus,
  TfpbAxis,
} from './gql/graphql';

/** The field's words for the graph's enums. */
export const ACTION_KIND: Record<ActionKind, string> = {
  AWARENESS: 'Sensibilisation',
  BULKY_WASTE_DAY: 'Journée encombrants',
  CLEAN_UP: 'Opération propreté',
  GARDENING: 'Jardinage',
  OTHER: 'Autre',
  SMALL_REPAIRS: 'Petites réparations',
  SOCIAL_EVENT: 'Fête de quartier',
  TENANT_MEETING: 'Réunion de locataires',
};

export const ACTION_STATUS: Record<ActionStatus, string> = {
  PROPOSED: 'Proposée',
  SCHEDULED: 'Programmée',
  DONE: 'Réalisée',
  CANCELLED: 'Annulée',
};

export const TFPB_AXIS: Record<TfpbAxis, string> = {
  EXTRA_MAINTENANCE: 'Sur-entretien',
  PROXIMITY_STAFF: 'Renforcement de la présence du personnel de proximité',
  RESIDENTIAL_TRANQUILLITY: 'Tranquillité résidentielle',
  SMALL_WORKS: "Petits travaux d'amélioration de la qualité de service",
  SOCIAL_LIFE: 'Animation, lien social, vivre ensemble',
  STAFF_TRAINING: 'Formation et soutien des personnels de proximité',
  TENANT_CONSULTATION: 'Concertation, sensibilisation des locataires',
  WASTE_AND_BULKY_ITEMS: 'Gestion des déchets et encombrants, épaves',
};

export const PARTNER_KIND: Record<PartnerKind, string> = {
  ASSOCIATION: 'Association',
  MUNICIPALITY: 'Commune',
  NEIGHBOURHOOD_BOARD: 'Régie de quartier',
  REGIE_DE_QUARTIER: 'Régie de quartier',
  OTHER: 'Autre',
  SERVICE_PROVIDER: 'Prestataire',
  SOCIAL_CENTRE: 'Centre social',
  STATE: 'État',
};

export const PARTNER_SERVICE: Record<PartnerService, string> = {
  BEFRIENDING: 'Visites et appels de convivialité',
  BULKY_WASTE_COLLECTION: 'Collecte des encombrants',
  CLEANING: 'Nettoyage',
  COMMUNITY_EVENTS: 'Animations',
  DIGITAL_HELP: 'Aide numérique',
  GREEN_SPACES: 'Espaces verts',
  GROCERY_DELIVERY: 'Livraison de courses',
  JOB_INTEGRATION: 'Insertion par l’activité économique',
  MEDIATION: 'Médiation',
  MEDICINE_DELIVERY: 'Livraison de médicaments',
  OTHER: 'Autre',
  PAPERWORK_HELP: 'Aide aux démarches administratives',
  SMALL_REPAIRS: 'Petites réparations',
  SOCIAL_SUPPORT: 'Accompagnement social',
};

export const AGREEMENT_KIND: Record<AgreementKind, string> = {
  CONVENTION: 'Convention',
  GRANT: 'Subvention',
  PUBLIC_CONTRACT: 'Marché public',
  RESERVED_CONTRACT: 'Marché réservé',
};

export const REQUEST_STATUS: Record<RequestStatus, string> = {
  OPEN: 'Ouverte',
  ACKNOWLEDGED: 'Prise en compte',
  IN_PROGRESS: 'En cours',
  RESOLVED: 'Résolue',
  REJECTED: 'Rejetée',
};

export const REQUEST_CATEGORY: Record<RequestCategory, string> = {
  ACCESS_INTERCOM: 'Accès, interphone',
  BULKY_WASTE: 'Encombrants',
  CHARGES: 'Charges',
  CLEANLINESS: 'Propreté',
  ELECTRICITY_LIGHTING: 'Électricité, éclairage',
  HEATING_HOT_WATER: 'Chauffage, eau chaude',
  LIFT: 'Ascenseur',
  NEIGHBOUR_NUISANCE: 'Troubles de voisinage',
  OTHER: 'Autre',
  OUTDOOR_SPACES: 'Espaces extérieurs',
  PARKING_WRECKS: 'Stationnement, épaves',
  PESTS: 'Nuisibles',
  PLUMBING_LEAK: 'Plomberie, fuite',
  TRANQUILLITY: 'Tranquillité',
};

export const REQUEST_CHANNEL: Record<RequestChannel, string> = {
  CARETAKER: 'Gardien',
  EMAIL: 'Courriel',
  IN_PERSON: 'Accueil',
  LETTER: 'Courrier',
  MOBILE_APP: 'Application',
  PHONE: 'Téléphone',
  WEB_PORTAL: 'Espace locataire',
};

export const ROLE: Record<string, string> = {
  ADMIN: 'Administration',
  COORDINATOR: 'Coordination de quartier (GUSP)',
  LANDLORD_STAFF: 'Personnel du bailleur',
  PARTNER: 'Partenaire',
};

/** Distinct colours with at least 3:1 contrast on white, one per landlord on the plan and the charts. */
export const LANDLORD_COLOURS = ['#1d4ed8', '#b91c1c', '#047857', '#7c3aed', '#b45309', '#0e7490', '#be185d', '#4d7c0f'];
