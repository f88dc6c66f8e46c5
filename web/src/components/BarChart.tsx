import type { ReactNode } from 'react';
import { formatInteger } from '../format';

export interface Bar {
  /** Short, under the bar. */
  label: string;
  /** In full, in the table of figures. */
  longLabel: string;
  /** Null: withheld (secret statistique). */
  value: number | null;
  /** The figure as the table of figures shows it: the number, or why it is withheld. */
  figure: ReactNode;
}

/**
 * A bar chart drawn in SVG (no chart library: a few bars need none), with its figures in a table for screen
 * readers and for anyone who prefers numbers.
 */
export function BarChart({ title, bars, unit }: { title: string; bars: Bar[]; unit: string }) {
  const width = 640;
  const height = 200;
  const top = 16;
  const bottom = 36;
  const max = Math.max(1, ...bars.map((bar) => bar.value ?? 0));
  const slot = width / Math.max(1, bars.length);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title} : graphique, détail dans le tableau qui suit`}>
        <line x1={0} x2={width} y1={height - bottom} y2={height - bottom} className="axis" />
        {bars.map((bar, index) => {
          const barHeight = ((bar.value ?? 0) / max) * (height - top - bottom);
          const x = index * slot + slot * 0.15;
          return (
            <g key={bar.longLabel}>
              {bar.value === null ? (
                <text x={x + slot * 0.35} y={height - bottom - 6} textAnchor="middle" className="withheld">
                  s.s.
                </text>
              ) : (
                <>
                  <rect x={x} y={height - bottom - barHeight} width={slot * 0.7} height={barHeight} className="bar" />
                  <text x={x + slot * 0.35} y={height - bottom - barHeight - 4} textAnchor="middle" className="value">
                    {formatInteger(bar.value)}
                  </text>
                </>
              )}
              <text x={x + slot * 0.35} y={height - bottom + 16} textAnchor="middle" className="label">
                {bar.label}
              </text>
            </g>
          );
        })}
      </svg>
      <details>
        <summary>Voir les chiffres</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Mois</th>
              <th scope="col">{unit}</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((bar) => (
              <tr key={bar.longLabel}>
                <th scope="row">{bar.longLabel}</th>
                <td>{bar.figure}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
