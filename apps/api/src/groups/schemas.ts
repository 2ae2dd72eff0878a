import { z } from "zod";
import { groupIdSchema } from "@jobstream/contract";

export const groupIdParamsSchema = z.object({ groupId: groupIdSchema });

/** Services and operators may name the org whose group they mean (default: the group in every org). */
export const groupQuerySchema = z.object({ orgId: z.guid().optional() }).strict();
