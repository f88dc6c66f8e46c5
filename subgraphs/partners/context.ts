import type { SubgraphContext } from '../shared/context';
import type { PartnersStore } from './store';

export type Context = SubgraphContext<PartnersStore>;
