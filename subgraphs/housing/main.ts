import { runSubgraph } from '../shared/runSubgraph';
import { housingSubgraph } from './index';

runSubgraph(housingSubgraph);
