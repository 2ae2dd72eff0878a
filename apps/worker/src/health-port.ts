import type { Server } from "node:net";
import { EnvError } from "@jobstream/runtime";

/** The first port tried when HEALTH_PORT is not set; several workers on one host take 3001, 3002, … */
export const DEFAULT_HEALTH_PORT = 3001;
const SCAN_LIMIT = 100;

/**
 * Which ports to try, in order. An explicit HEALTH_PORT is a promise to an orchestrator's probe, so
 * only that port is tried (0 = any free port); without it, the next free one from 3001 is taken.
 */
export function healthPortCandidates(configured: number | undefined): number[] {
  if (configured !== undefined) return [configured];
  return Array.from({ length: SCAN_LIMIT }, (_, i) => DEFAULT_HEALTH_PORT + i);
}

function tryListen(server: Server, port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onListening = () => {
      server.off("error", onError);
      resolve(true);
    };
    const onError = (error: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      if (error.code === "EADDRINUSE") resolve(false);
      else reject(error);
    };
    server.once("listening", onListening);
    server.once("error", onError);
    server.listen(port, host);
  });
}

/** Listens on the first free candidate port; a taken explicit HEALTH_PORT fails with a message saying so. */
export async function listenOnHealthPort(
  server: Server,
  configured: number | undefined,
  host: string,
): Promise<number> {
  const candidates = healthPortCandidates(configured);
  for (const port of candidates) {
    if (await tryListen(server, port, host)) {
      const address = server.address();
      return typeof address === "object" && address !== null ? address.port : port;
    }
  }
  if (configured !== undefined) {
    throw new EnvError(
      `HEALTH_PORT ${String(configured)} is in use on ${host}: set another port, 0 for any free port, ` +
        `or leave it unset to take the next free one from ${String(DEFAULT_HEALTH_PORT)}`,
    );
  }
  throw new EnvError(
    `no free health port on ${host} between ${String(candidates[0])} and ${String(candidates.at(-1))}; ` +
      "set HEALTH_PORT (0 = any free port)",
  );
}
