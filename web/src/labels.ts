import type {
  ActionKind,
  ActionStatus,
  AgreementKind,
  CallListReason,
  CallNeed,
  CallOutcome,
  CallStatus,
  CampaignReason,
  CampaignStatus,
  ContactChannel,
  ContactTimeSlot,
  PartnerKind,
  PartnerService,
  RequestCategory,
  RequestChannel,
  ReferralConsent,
  ReferralStatus,
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

export const CAMPAIGN_REASON: Record<CampaignReason, string> = {
  CANICULE: 'Plan canicule',
  GRAND_FROID: 'Grand froid',
  CRISE_SANITAIRE: 'Crise sanitaire',
  ISOLEMENT: 'Isolement',
  OTHER: 'Autre',
};

export const CAMPAIGN_STATUS: Record<CampaignStatus, string> = {
  PLANNED: 'À venir',
  ACTIVE: 'En cours',
  ENDED: 'Terminée',
  PURGED: 'Terminée, données d’appel effacées',
};

export const CALL_STATUS: Record<CallStatus, string> = {
  TO_CALL: 'À appeler',
  REACHED: 'Joint',
  UNREACHABLE: 'Injoignable (3 essais)',
  WRONG_NUMBER: 'Faux numéro',
  REFUSED: 'Refuse l’appel',
  ALREADY_FOLLOWED: 'Déjà suivi',
  NOT_REACHED_IN_TIME: 'Non joint avant la fin',
};

export const CALL_OUTCOME: Record<CallOutcome, string> = {
  REACHED: 'Joint',
  NO_ANSWER: 'Pas de réponse',
  WRONG_NUMBER: 'Faux numéro',
  REFUSED: 'Refuse l’appel',
  ALREADY_FOLLOWED: 'Déjà suivi (famille, travailleur social…)',
};

export const CALL_NEED: Record<CallNeed, string> = {
  GROCERIES: 'Courses',
  MEDICINES: 'Médicaments',
  PAPERWORK: 'Démarches administratives',
  SOCIAL_CONTACT: 'Lien social, compagnie',
  DIGITAL_HELP: 'Aide numérique',
  URGENT_HEALTH: 'Urgence santé',
};

export const CALL_LIST_REASON: Record<CallListReason, string> = {
  VULNERABLE: 'Signalé fragile',
  AGED_70_OR_MORE: '70 ans ou plus',
  LIVES_ALONE: 'Vit seul',
};

export const REFERRAL_CONSENT: Record<ReferralConsent, string> = {
  NOT_ASKED: 'Pas encore demandé',
  GIVEN: 'Donné',
  REFUSED: 'Refusé',
  WITHDRAWN: 'Retiré',
};

export const REFERRAL_STATUS: Record<ReferralStatus, string> = {
  PENDING: 'À faire',
  DONE: 'Fait',
  NOT_DONE: 'Pas fait',
  WITHDRAWN: 'Consentement retiré',
};

export const CONTACT_CHANNEL: Record<ContactChannel, string> = {
  PHONE: 'Téléphone',
  SMS: 'SMS',
  EMAIL: 'Courriel',
  VISIT: 'Visite',
};

export const CONTACT_TIME_SLOT: Record<ContactTimeSlot, string> = {
  MORNING: 'le matin',
  MIDDAY: 'entre midi et 14 h',
  AFTERNOON: 'l’après-midi',
  EVENING: 'après 18 h',
};

export const ROLE: Record<string, string> = {
  ADMIN: 'Administration',
  COORDINATOR: 'Coordination de quartier (GUSP)',
  LANDLORD_STAFF: 'Personnel du bailleur',
  PARTNER: 'Partenaire',
};

/** Distinct colours with at least 3:1 contrast on white, one per landlord on the plan and the charts. */
export const LANDLORD_COLOURS = ['#1d4ed8', '#b91c1c', '#047857', '#7c3aed', '#b45309', '#0e7490', '#be185d', '#4d7c0f'];
