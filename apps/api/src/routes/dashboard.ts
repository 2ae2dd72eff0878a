import { existsSync } from "node:fs";
import path from "node:path";
import express, { Router } from "express";
import { ApiError } from "../http/errors";

export const DASHBOARD_PATH = "/dashboard";

/**
 * The built dashboard (apps/dashboard, `pnpm build`) at /dashboard/; its client-side routes all
 * answer index.html. `/` redirects there. Hashed assets are cached for a year, index.html never.
 */
export function dashboardRouter(distDir: string): Router {
  const router = Router();
  const index = path.join(distDir, "index.html");
  router.get("/", (_req, res) => {
    res.redirect(302, `${DASHBOARD_PATH}/`);
  });
  router.use(
    `${DASHBOARD_PATH}/assets`,
    express.static(path.join(distDir, "assets"), { immutable: true, maxAge: "365d", index: false }),
    (req, _res) => {
      throw new ApiError("not_found", `no dashboard asset ${req.path}`);
    },
  );
  router.get([DASHBOARD_PATH, `${DASHBOARD_PATH}/{*rest}`], (_req, res) => {
    if (!existsSync(index)) throw new ApiError("unavailable", "the dashboard is not built: run `pnpm build`");
    res.setHeader("cache-control", "no-cache");
    res.sendFile(index);
  });
  return router;
}
