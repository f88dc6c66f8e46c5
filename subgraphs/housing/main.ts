import { runSubgraph } from '../shared/runSubgraph';
import { housingSubgraph } from './index';

void runSubgraph(housingSubgraph, 4001);
