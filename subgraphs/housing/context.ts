import type { SubgraphContext } from '../shared/context';
import type { HousingStore } from './store';

export type Context = SubgraphContext<HousingStore>;
