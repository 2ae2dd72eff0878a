import { z } from "zod";
import { named } from "./fields";
import { roles } from "./auth";

/** What `GET`/`POST /v1/session` answer: who the bearer token is, and until when. */
export const sessionSchema = named("Session", {
  userId: z.guid(),
  orgId: z.guid(),
  role: z.enum(roles),
  expiresAt: z.iso.datetime(),
});
export type Session = z.infer<typeof sessionSchema>;
