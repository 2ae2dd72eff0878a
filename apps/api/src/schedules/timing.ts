import { CronExpressionParser } from "cron-parser";
import type { FieldIssue } from "@jobstream/job-types";

/** Whether the runtime knows an IANA time zone (`Intl` throws a RangeError for unknown ones). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** When a schedule fires, as the caller sent it (after merging a PATCH into the stored schedule). */
export interface Timing {
  readonly cron: string | null;
  readonly everyMs: number | null;
  readonly timezone: string;
  readonly startAt: Date | null;
  readonly endAt: Date | null;
}

/**
 * Everything wrong with a schedule's timing, each naming its field: exactly one of `cron` and
 * `everyMs`, a zone the runtime knows, a cron pattern BullMQ's own parser (cron-parser) accepts
 * and that fires at least once, and an end after the start.
 */
export function timingIssues(timing: Timing): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (timing.cron !== null && timing.everyMs !== null) {
    issues.push({ path: "everyMs", message: "give cron or everyMs, not both" });
  } else if (timing.cron === null && timing.everyMs === null) {
    issues.push({ path: "cron", message: "give cron or everyMs" });
  }
  const zoneKnown = isTimeZone(timing.timezone);
  if (!zoneKnown) issues.push({ path: "timezone", message: `unknown time zone "${timing.timezone}"` });
  if (timing.cron !== null) {
    try {
      const pattern = CronExpressionParser.parse(timing.cron, {
        tz: zoneKnown ? timing.timezone : "UTC",
        strict: false,
      });
      pattern.next();
    } catch (error) {
      issues.push({ path: "cron", message: `not a cron pattern that fires: ${(error as Error).message}` });
    }
  }
  if (timing.startAt !== null && timing.endAt !== null && timing.endAt <= timing.startAt) {
    issues.push({ path: "endAt", message: "must be after startAt" });
  }
  return issues;
}
