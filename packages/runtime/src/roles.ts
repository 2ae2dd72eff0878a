import { z } from "zod";

/** What a process does; one process may take several roles. */
export const roles = ["api", "work", "mirror", "housekeep"] as const;
export type Role = (typeof roles)[number];

/** Parses `ROLES` ("all" or a comma list) into a set; unknown names fail validation. */
export const rolesSchema = z
  .string()
  .default("all")
  .transform((value, ctx) => {
    const names = value
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    if (names.length === 0 || names.includes("all")) return new Set<Role>(roles);
    const result = new Set<Role>();
    for (const name of names) {
      if (!(roles as readonly string[]).includes(name)) {
        ctx.addIssue({ code: "custom", message: `unknown role "${name}"; use all or any of ${roles.join(", ")}` });
        return z.NEVER;
      }
      result.add(name as Role);
    }
    return result;
  });
