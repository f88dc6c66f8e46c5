import type { SubgraphContext } from '../shared/context';
import type { ActionsStore } from './store';

export type Context = SubgraphContext<ActionsStore>;
