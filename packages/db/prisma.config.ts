// Prisma 7 CLI config (generate/validate/format). Prisma would first try to download its native
// schema engine; pointing the variable at any existing file skips that (see TOOLCHAIN.md).
// Migrations are applied by src/migrate.ts, not by this CLI.
import { defineConfig } from "prisma/config";
import "./prisma/env";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
