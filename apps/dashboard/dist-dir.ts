import { fileURLToPath } from "node:url";

/** Where `vite build` writes the dashboard; the API serves this folder at /dashboard/. */
export const dashboardDistDir = fileURLToPath(new URL("./dist", import.meta.url));
