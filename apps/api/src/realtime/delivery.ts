import { z } from "zod";
import type { Job } from "@jobstream/db";
import type { JobOwnership } from "../auth/access";
import { toJobView, type JobView } from "../jobs/job-view";

/** One state of one job, as streams send it: the view plus what access checks and filters need. */
export interface Delivery {
  readonly id: string;
  readonly version: bigint;
  readonly status: string;
  readonly type: string;
  readonly groupId: string | null;
  readonly ownership: JobOwnership;
  readonly view: JobView;
}

export function deliveryFromRow(row: Job): Delivery {
  return {
    id: row.id, version: row.version, status: row.status, type: row.type, groupId: row.groupId,
    ownership: { orgId: row.orgId, userId: row.userId, accessTokenHash: row.accessTokenHash },
    view: toJobView(row),
  };
}

/** Wire form of a Delivery in change announcements between API processes. */
export const announcedStateSchema = z.object({
  id: z.string(),
  version: z.string().regex(/^\d+$/),
  status: z.string(),
  type: z.string(),
  groupId: z.string().nullable(),
  ownership: z.object({ orgId: z.string(), userId: z.string().nullable(), accessTokenHash: z.string().nullable() }),
  view: z.custom<JobView>((v) => typeof v === "object" && v !== null),
});

export function toAnnounced(delivery: Delivery): z.input<typeof announcedStateSchema> {
  return { ...delivery, version: delivery.version.toString() };
}

export function fromAnnounced(state: z.output<typeof announcedStateSchema>): Delivery {
  return { ...state, version: BigInt(state.version) };
}
