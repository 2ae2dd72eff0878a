import { z } from "zod";

/** One seed node of a Redis Cluster (ioredis discovers the others from it). */
export interface ClusterNode {
  readonly host: string;
  readonly port: number;
}

/** Where a process's Redis is: one server (`REDIS_URL`) or a Redis Cluster (`REDIS_CLUSTER_NODES`). */
export type RedisTarget = { readonly url: string } | { readonly clusterNodes: readonly ClusterNode[] };

const NODE = /^(?<host>\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+):(?<port>\d{1,5})$/;

/** `host:port,host:port` → nodes; `[::1]:7000` for IPv6. Throws with a message naming the bad entry. */
export function parseClusterNodes(text: string): ClusterNode[] {
  const entries = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (entries.length === 0) throw new Error("must list at least one host:port");
  return entries.map((entry) => {
    const match = NODE.exec(entry);
    const port = Number(match?.groups?.port);
    if (!match?.groups?.host || !(port >= 1 && port <= 65_535))
      throw new Error(`"${entry}" is not host:port (comma-separated list, e.g. 10.0.0.1:7000,10.0.0.2:7000)`);
    return { host: match.groups.host.replace(/^\[|\]$/g, ""), port };
  });
}

/** `REDIS_CLUSTER_NODES` as a zod field: empty means unset. */
export const clusterNodesSchema = z.preprocess(
  (v) => (v === "" ? undefined : v),
  z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      try {
        return parseClusterNodes(text);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
        return z.NEVER;
      }
    }),
);

/** The variables that name Redis; setting both is refused at start-up (see `parseEnv`). */
export const EXCLUSIVE_REDIS_VARIABLES = ["REDIS_URL", "REDIS_CLUSTER_NODES"] as const;

/** The Redis a parsed environment names: the cluster when its nodes are set, else `REDIS_URL`. */
export function redisTargetOf(env: {
  readonly REDIS_URL: string;
  readonly REDIS_CLUSTER_NODES?: readonly ClusterNode[] | undefined;
}): RedisTarget {
  return env.REDIS_CLUSTER_NODES === undefined ? { url: env.REDIS_URL } : { clusterNodes: env.REDIS_CLUSTER_NODES };
}
