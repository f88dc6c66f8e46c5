import { runSubgraph } from '../shared/runSubgraph';
import { partnersSubgraph } from './index';

runSubgraph(partnersSubgraph);
