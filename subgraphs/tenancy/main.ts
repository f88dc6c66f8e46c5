import { runSubgraph } from '../shared/runSubgraph';
import { tenancySubgraph } from './index';

runSubgraph(tenancySubgraph);
