import { runSubgraph } from '../shared/runSubgraph';
import { actionsSubgraph } from './index';

runSubgraph(actionsSubgraph);
