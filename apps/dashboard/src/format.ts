export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1000) return `${String(Math.round(ms))} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${String(m)} min ${String(Math.round(s - m * 60))} s`;
}

export function formatTime(iso: string | null): string {
  if (iso === null) return "—";
  return new Date(iso).toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" });
}

export function formatPercent(ratio: number | null): string {
  return ratio === null ? "—" : `${(ratio * 100).toFixed(1)} %`;
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}

export function json(value: unknown): string {
  return value === undefined || value === null ? "—" : JSON.stringify(value, null, 2);
}
