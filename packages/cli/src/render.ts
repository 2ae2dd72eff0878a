import type { JobstreamError, JobSummary } from "@jobstream/client";

/** One terminal line for a job: a progress bar, percent, status, step and message. */
export function progressLine(job: { status: string; progress: JobSummary["progress"] }, width = 80): string {
  const percent = Math.max(0, Math.min(100, Math.round(job.progress.percent)));
  const parts = [job.status, job.progress.step, job.progress.message].filter(
    (p): p is string => p !== null && p !== "",
  );
  const label = ` ${String(percent).padStart(3)}% ${parts.join(" · ")}`;
  const barWidth = Math.max(10, Math.min(40, width - label.length - 3));
  const filled = Math.round((percent / 100) * barWidth);
  const line = `[${"#".repeat(filled)}${"-".repeat(barWidth - filled)}]${label}`;
  return line.length > width - 1 ? line.slice(0, Math.max(0, width - 1)) : line;
}

/** What stderr shows for an API error: code, status, message, then each field path. */
export function describeApiError(error: JobstreamError): string {
  const status = error.status > 0 ? ` (HTTP ${String(error.status)})` : "";
  const lines = [`error: ${error.code}${status}: ${error.message}`];
  for (const issue of error.fieldIssues) lines.push(`  ${issue.path === "" ? "(body)" : issue.path}: ${issue.message}`);
  if (!Array.isArray(error.details) && error.details !== undefined)
    lines.push(`  details: ${JSON.stringify(error.details)}`);
  return lines.join("\n");
}

/** A row of `list` on a terminal. */
export function jobRow(job: JobSummary): string {
  const kind = job.subtype === null ? job.type : `${job.type}/${job.subtype}`;
  const percent = `${String(Math.round(job.progress.percent))}%`;
  return [job.id, job.status.padEnd(10), percent.padStart(4), kind.padEnd(20), job.createdAt, job.name].join("  ");
}
