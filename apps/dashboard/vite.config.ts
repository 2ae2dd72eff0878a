import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** The dashboard is served by the API under /dashboard/ (see apps/api/src/routes/dashboard.ts). */
export default defineConfig({
  base: "/dashboard/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
  // `vite` (dev) proxies the API so the dashboard can be worked on with hot reload.
  server: { proxy: { "/v1": "http://127.0.0.1:3000", "/admin": "http://127.0.0.1:3000" } },
});
