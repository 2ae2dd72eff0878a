import type { ScheduleView } from "@jobstream/contract";
import type { ScheduleRow } from "@jobstream/db";
import { scheduledJobSchema } from "@jobstream/queue";

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export function toScheduleView(row: ScheduleRow): ScheduleView {
  const job = scheduledJobSchema.safeParse(row.job);
  return {
    id: row.id,
    name: row.name,
    cron: row.cron,
    everyMs: row.everyMs,
    timezone: row.timezone,
    // Stored by the API after validation; a row that no longer parses still shows what it holds.
    job: job.success ? job.data : { type: "", subtype: "", name: row.name, input: row.job },
    startAt: iso(row.startAt),
    endAt: iso(row.endAt),
    paused: row.paused,
    lastRunAt: iso(row.lastRunAt),
    lastJobId: row.lastJobId,
    nextRunAt: iso(row.nextRunAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
