import { z } from "zod";

export const webhookIdParamsSchema = z.object({ id: z.uuid() });
export const deliveryParamsSchema = z.object({ id: z.uuid(), deliveryId: z.uuid() });

const page = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(200).optional().describe("nextCursor of the previous page"),
};
export const webhookListQuerySchema = z
  .object({ ...page, orgId: z.uuid().optional().describe("Services and operators: one org's webhooks") })
  .strict();
export const deliveryListQuerySchema = z.object(page).strict();
