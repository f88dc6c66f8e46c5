/**
 * `npm run stats:reconcile`: recounts the request statistics cells of every district of the database at MONGODB_URI
 * from its service requests and repairs those that differ. Safe while the graph runs. Exit codes: 0 done, 1 failed.
 */
import { reviseSubgraph } from '../subgraphs/shared/graphRevisions';
import { withDatabase } from '../subgraphs/shared/mongo';
import { reconcileRequestCells } from '../subgraphs/tenancy/data/requestCellsReconciliation';

async function main(): Promise<void> {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI must name the database whose request cells to reconcile.');
  const started = performance.now();
  const report = await withDatabase(uri, async (db) => {
    const reconciled = await reconcileRequestCells(db);
    // Repaired past the tenancy subgraph: a response cache must not keep answers from before (graphRevisions.ts).
    await reviseSubgraph(db, 'tenancy');
    return reconciled;
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `Recounted ${report.cells} cells in ${seconds} s: ${report.repaired} repaired, ${report.deferred} left for later (a write in flight).\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`Reconciliation failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
