import type { Role } from "@jobstream/contract";

export { claimsSchema, roles } from "@jobstream/contract";

/** Who is calling: a token holder, or an anonymous caller holding one job's access token. */
export type Principal =
  | { readonly kind: "token"; readonly userId: string; readonly orgId: string; readonly role: Role }
  | { readonly kind: "job-token"; readonly tokenHash: string };
