import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface Series {
  readonly label: string;
  /** A CSS colour; the legend's swatch shows the same. */
  readonly color: string;
  /** One value per point of the chart's `times` (null: no value in that bucket). */
  readonly values: readonly (number | null)[];
}

/**
 * A line chart over time drawn by uPlot on a canvas. The canvas is hidden from screen readers:
 * the figure's caption names it and a visually hidden table (`TimeTable`) carries every figure.
 */
export function TimeChart({
  times,
  series,
  format,
}: {
  /** Bucket starts, in milliseconds. */
  times: readonly number[];
  series: readonly Series[];
  /** How the y axis writes a value (`12 ms`). */
  format: (value: number) => string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height: 200,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: true } },
      axes: [{}, { values: (_u, ticks) => ticks.map(format), size: 70 }],
      // Points as well as lines: a bucket with data between empty ones (no latency) stays visible.
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          points: { show: true, size: 5, fill: s.color },
        })),
      ],
    };
    // uPlot reads seconds on a time scale.
    const data: uPlot.AlignedData = [times.map((t) => t / 1000), ...series.map((s) => [...s.values])];
    const chart = new uPlot(options, data, element);
    // Follow the figure's width (a phone, a resized window).
    const resize = new ResizeObserver(() => {
      chart.setSize({ width: Math.max(200, element.clientWidth), height: 200 });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [times, series, format]);
  return (
    <>
      <div ref={box} className="time-chart" aria-hidden="true" />
      <p className="chart-key muted">
        {series.map((s) => (
          <span key={s.label}>
            <span className="chart-swatch" style={{ background: s.color }} aria-hidden="true" /> {s.label}
          </span>
        ))}
      </p>
    </>
  );
}
