import { TableHead } from "../components/states";
import { TimeChart, type Series } from "./time-chart";

/**
 * One chart of a time series as a figure: its caption, the uPlot chart, and the same figures as a
 * visually hidden table (the chart's text alternative).
 */
export function TimeFigure({
  title,
  times,
  series,
  format,
}: {
  title: string;
  times: readonly number[];
  series: readonly Series[];
  format: (value: number) => string;
}) {
  const stamp = (t: number) => new Date(t).toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" });
  return (
    <figure className="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <TimeChart times={times} series={series} format={format} />
      {/* Hidden by its wrapper: a table ignores the 1px width that hides a block. */}
      <div className="visually-hidden">
        <table>
          <TableHead caption={`${title}, per bucket`} columns={["Bucket start", ...series.map((s) => s.label)]} />
          <tbody>
            {times.map((t, i) => (
              <tr key={t}>
                <th scope="row">{stamp(t)}</th>
                {series.map((s) => {
                  const value = s.values[i] ?? null;
                  return <td key={s.label}>{value === null ? "—" : format(value)}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
