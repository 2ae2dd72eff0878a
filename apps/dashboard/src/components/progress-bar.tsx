/** A labelled progress bar (role=progressbar with its value for assistive technology). */
export function ProgressBar({
  percent,
  label,
  compact = false,
}: {
  percent: number;
  label: string;
  compact?: boolean;
}) {
  const value = Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <div className={compact ? "progress compact" : "progress"}>
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value}
      >
        <div className="progress-fill" style={{ width: `${String(value)}%` }} />
      </div>
      <span className="progress-value">{value}%</span>
    </div>
  );
}
