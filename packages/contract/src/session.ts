import { z } from "zod";
import { roles } from "./auth";

/** What `GET`/`POST /v1/session` answer: who the bearer token is, and until when. */
export const sessionSchema = z
  .object({ userId: z.guid(), orgId: z.guid(), role: z.enum(roles), expiresAt: z.iso.datetime() })
  .meta({ id: "Session" });
export type Session = z.infer<typeof sessionSchema>;
