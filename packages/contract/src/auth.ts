import { z } from "zod";

/**
 * Bearer-token roles. `member` acts on its own jobs, `admin` on its org's; `operator` is platform
 * staff (bull-board, system job types, queue controls, every org); `service` is a trusted backend
 * that may act on any org and enqueue on behalf of a user. What each may do is decided in one place,
 * the API's access rules (apps/api/src/auth/access.ts).
 */
export const roles = ["member", "admin", "operator", "service"] as const;
export type Role = (typeof roles)[number];

/**
 * The org of Jobstream's own jobs (the housekeeper's retention sweeps and their idempotency keys).
 * No token may belong to it and no service may enqueue into it, so no tenant can read those jobs
 * or take their keys first.
 */
export const SYSTEM_ORG_ID = "00000000-0000-0000-0000-000000000000";

/**
 * Claims of a Jobstream bearer token (HS256). Ids are lower-cased: Postgres compares uuids
 * case-insensitively, so access checks, quota and rate-limit keys must too.
 */
export const claimsSchema = z.object({
  sub: z.guid().transform((sub) => sub.toLowerCase()),
  org: z
    .guid()
    .transform((org) => org.toLowerCase())
    .refine((org) => org !== SYSTEM_ORG_ID, "is reserved for Jobstream's own jobs"),
  role: z.enum(roles),
  exp: z.number(),
});
export type Claims = z.infer<typeof claimsSchema>;

/** The org and user of development tokens (`pnpm token` defaults, the sign-in link of `pnpm start`). */
export const DEV_ORG_ID = "00000000-0000-4000-8000-00000000d0e0";
export const DEV_USER_ID = "00000000-0000-4000-8000-00000000d0e1";
