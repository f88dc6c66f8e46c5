import { useState } from 'react';
import { Failure, Loading } from '../components/Status';
import { download, frenchCsv } from '../csv';
import { formatEuros, formatInteger } from '../format';
import { WebTfpbReportDocument } from '../gql/graphql';
import { TFPB_AXIS } from '../labels';
import type { Session } from '../session';
import { useGraph } from '../useGraph';

/** Decimal amounts in a CSV cell the French way (comma), without the currency sign, so that spreadsheets sum them. */
const csvAmount = (cents: number) => (cents / 100).toFixed(2).replace('.', ',');

export function TfpbScreen({
  districtId,
  landlords,
  session,
}: {
  districtId: string;
  landlords: { id: string; name: string }[];
  session: Session;
}) {
  const choices = session.role === 'LANDLORD_STAFF' ? landlords.filter((landlord) => landlord.id === session.landlordId) : landlords;
  const [landlordId, setLandlordId] = useState(choices[0]?.id ?? '');
  const [year, setYear] = useState(new Date().getFullYear());
  const { data, failure, loading } = useGraph(WebTfpbReportDocument, { landlordId, districtId, year }, landlordId === '');
  const report = data?.tfpbReport;
  const years = Array.from({ length: 5 }, (_, index) => new Date().getFullYear() - index);

  const exportCsv = () => {
    if (!report) return;
    const rows = [
      ['Axe', "Nombre d'actions", 'Participants', 'Coût (€)'],
      ...report.axes.map((line) => [TFPB_AXIS[line.axis], line.actionCount, line.participants, csvAmount(line.costCents)]),
      [
        'Total',
        report.axes.reduce((sum, line) => sum + line.actionCount, 0),
        report.axes.reduce((sum, line) => sum + line.participants, 0),
        csvAmount(report.totalCostCents),
      ],
    ];
    download(
      `abattement-tfpb-${report.district.qpvCode ?? report.district.id}-${report.landlord.name}-${report.year}.csv`,
      frenchCsv(rows),
    );
  };

  return (
    <>
      <h1>Abattement de TFPB</h1>
      <form className="filters no-print" aria-label="Choisir le bilan" onSubmit={(event) => event.preventDefault()}>
        <label htmlFor="tfpb-landlord">Bailleur</label>
        <select id="tfpb-landlord" value={landlordId} onChange={(event) => setLandlordId(event.target.value)}>
          {choices.map((landlord) => (
            <option key={landlord.id} value={landlord.id}>
              {landlord.name}
            </option>
          ))}
        </select>
        <label htmlFor="tfpb-year">Année</label>
        <select id="tfpb-year" value={year} onChange={(event) => setYear(Number(event.target.value))}>
          {years.map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
      </form>
      {failure && <Failure>Le bilan n’a pas pu être chargé : {failure}</Failure>}
      {!report && !failure && (loading ? <Loading what="du bilan" /> : <p>Aucun bailleur à afficher.</p>)}
      {report && (
        <section aria-labelledby="tfpb-title">
          <h2 id="tfpb-title">
            Bilan {report.year} de {report.landlord.name} — {report.district.name} (QPV {report.district.qpvCode ?? 'sans code'})
          </h2>
          <table className="report" data-testid="tfpb-table">
            <thead>
              <tr>
                <th scope="col">Axe</th>
                <th scope="col">Actions</th>
                <th scope="col">Participants</th>
                <th scope="col">Coût</th>
              </tr>
            </thead>
            <tbody>
              {report.axes.map((line) => (
                <tr key={line.axis}>
                  <th scope="row">{TFPB_AXIS[line.axis]}</th>
                  <td>{formatInteger(line.actionCount)}</td>
                  <td>{formatInteger(line.participants)}</td>
                  <td>{formatEuros(line.costCents)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Total valorisé</th>
                <td>{formatInteger(report.axes.reduce((sum, line) => sum + line.actionCount, 0))}</td>
                <td>{formatInteger(report.axes.reduce((sum, line) => sum + line.participants, 0))}</td>
                <td data-testid="tfpb-total">{formatEuros(report.totalCostCents)}</td>
              </tr>
            </tfoot>
          </table>
          <div className="no-print toolbar">
            <button type="button" onClick={() => window.print()}>
              Imprimer
            </button>
            <button type="button" onClick={exportCsv}>
              Exporter en CSV
            </button>
          </div>
        </section>
      )}
    </>
  );
}
