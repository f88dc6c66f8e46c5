import type { SubgraphContext } from '../shared/context';
import type { TenancyStore } from './store';

export type Context = SubgraphContext<TenancyStore>;
