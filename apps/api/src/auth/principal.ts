import { z } from "zod";

export const roles = ["member", "admin", "service"] as const;

/** Claims of a Jobstream bearer token (HS256). */
export const claimsSchema = z.object({
  sub: z.guid(),
  org: z.guid(),
  role: z.enum(roles),
  exp: z.number(),
});

/** Who is calling: a token holder, or an anonymous caller holding one job's access token. */
export type Principal =
  | { readonly kind: "token"; readonly userId: string; readonly orgId: string; readonly role: (typeof roles)[number] }
  | { readonly kind: "job-token"; readonly tokenHash: string };
