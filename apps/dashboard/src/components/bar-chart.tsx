export interface Segment {
  readonly value: number;
  /** Names the segment in the legend and picks its colour (`.seg-<kind>`). */
  readonly kind: string;
}

export interface Bar {
  readonly label: string;
  /** One value, or stacked segments (a queue's waiting / active / delayed jobs). */
  readonly segments: readonly Segment[];
  /** What the row says in words (the figures, formatted). */
  readonly text: string;
}

/**
 * Horizontal bar chart in HTML and CSS. Each row also states its figures in text, and the chart
 * is one image for screen readers whose name carries every figure.
 */
export function BarChart({ title, bars, max }: { title: string; bars: readonly Bar[]; max?: number }) {
  const total = (bar: Bar) => bar.segments.reduce((sum, s) => sum + s.value, 0);
  const top = max ?? Math.max(1, ...bars.map(total));
  const kinds = [...new Set(bars.flatMap((b) => b.segments.map((s) => s.kind)))];
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div
        role="img"
        aria-label={`${title}: ${bars.map((b) => `${b.label} ${b.text}`).join("; ")}`}
        className="chart-rows"
      >
        {bars.map((bar) => (
          <div key={bar.label} className="chart-row">
            <span className="chart-label">{bar.label}</span>
            <span className="chart-track">
              {bar.segments.map((s) => (
                <span
                  key={s.kind}
                  className={`chart-seg seg-${s.kind}`}
                  style={{ width: `${String((s.value / top) * 100)}%` }}
                />
              ))}
            </span>
            <span className="chart-text">{bar.text}</span>
          </div>
        ))}
      </div>
      {kinds.length > 1 && (
        <p className="chart-key muted">
          {kinds.map((k) => (
            <span key={k}>
              <span className={`chart-swatch seg-${k}`} aria-hidden="true" /> {k}
            </span>
          ))}
        </p>
      )}
    </figure>
  );
}
