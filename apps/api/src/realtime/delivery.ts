import { z } from "zod";
import type { Job } from "@jobstream/db";
import type { JobOwnership } from "../auth/access";
import { summaryOf, toJobSummary, toJobView, type JobSummary, type JobSummarySource } from "../jobs/job-view";

/** One state of one job, as streams send it: the view plus what access checks and filters need. */
export interface Delivery {
  readonly id: string;
  readonly version: bigint;
  readonly status: string;
  readonly type: string;
  readonly groupId: string | null;
  readonly ownership: JobOwnership;
  /** The job's view; it carries `input` and `output` only when `complete`. */
  readonly view: JobSummary;
  /**
   * Whether `view` is the whole job view: `/v1/jobs/:id/stream` sends only whole views (the hub
   * reads the row for it otherwise), `/v1/stream` always sends the summary.
   */
  readonly complete?: boolean;
}

/** A summary row of either read path: Prisma's (version a bigint) or plain SQL's (version as text). */
export type DeliverySource = JobSummarySource & { readonly version: bigint | string };

const ownershipOf = (row: DeliverySource): JobOwnership => ({
  orgId: row.orgId,
  userId: row.userId,
  accessTokenHash: row.accessTokenHash,
});

export function deliveryFromRow(row: Job): Delivery {
  return {
    id: row.id,
    version: row.version,
    status: row.status,
    type: row.type,
    groupId: row.groupId,
    ownership: ownershipOf(row),
    view: toJobView(row),
    complete: true,
  };
}

export function deliveryFromSummary(row: DeliverySource): Delivery {
  return {
    id: row.id,
    version: BigInt(row.version),
    status: row.status,
    type: row.type,
    groupId: row.groupId,
    ownership: ownershipOf(row),
    view: toJobSummary(row),
    complete: false,
  };
}

/** Wire form of a Delivery in change announcements between API processes (always a summary). */
export const announcedStateSchema = z.object({
  id: z.string(),
  version: z.string().regex(/^\d+$/),
  status: z.string(),
  type: z.string(),
  groupId: z.string().nullable(),
  ownership: z.object({ orgId: z.string(), userId: z.string().nullable(), accessTokenHash: z.string().nullable() }),
  view: z.custom<JobSummary>((v) => typeof v === "object" && v !== null),
});

/** Announcements carry summaries: a batch of 1,000 jobs with large inputs must not cross Redis whole. */
export function toAnnounced(delivery: Delivery): z.input<typeof announcedStateSchema> {
  const { complete: _complete, ...rest } = delivery;
  return { ...rest, version: delivery.version.toString(), view: summaryOf(delivery.view) };
}

export function fromAnnounced(state: z.output<typeof announcedStateSchema>): Delivery {
  return { ...state, version: BigInt(state.version), complete: false };
}
