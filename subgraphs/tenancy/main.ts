import { runSubgraph } from '../shared/runSubgraph';
import { tenancySubgraph } from './index';

runSubgraph(tenancySubgraph, 4002);
