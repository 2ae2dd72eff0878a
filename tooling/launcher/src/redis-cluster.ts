import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { redisAnswers, stopRedisServer } from "./redis-server";

const run = promisify(execFile);

export interface RedisClusterOptions {
  /** Where each node keeps its `nodes-<port>.conf` (a restarted node rejoins from it). */
  readonly dir: string;
  /** @defaultValue 3 */
  readonly masters?: number;
  /** Replicas per master. @defaultValue 1 */
  readonly replicas?: number;
  /**
   * `cluster-node-timeout`: how long a master may be silent before its replica takes over; a
   * failover takes about twice this.
   * @defaultValue 2000
   */
  readonly nodeTimeoutMs?: number;
  /** Ports to use, one per node; unset: free ports (each with a free cluster-bus port). */
  readonly ports?: readonly number[];
}

export interface ClusterNodeAddress {
  readonly host: string;
  readonly port: number;
}

/** A local Redis Cluster started from `redis-server --cluster-enabled yes` and `redis-cli --cluster create`. */
export class LocalRedisCluster {
  private readonly servers = new Map<number, ChildProcess>();

  private constructor(
    private readonly options: Required<Omit<RedisClusterOptions, "ports">>,
    readonly ports: readonly number[],
  ) {}

  /** Starts every node, creates the cluster, and resolves once every node reports `cluster_state:ok`. */
  static async start(options: RedisClusterOptions): Promise<LocalRedisCluster> {
    const full = { masters: 3, replicas: 1, nodeTimeoutMs: 2000, ...options };
    const count = full.masters * (1 + full.replicas);
    const ports = options.ports ?? (await freePorts(count));
    await mkdir(full.dir, { recursive: true });
    const cluster = new LocalRedisCluster(full, ports);
    try {
      await Promise.all(ports.map((port) => cluster.startNode(port)));
      const addresses = ports.map((p) => `127.0.0.1:${String(p)}`);
      await run("redis-cli", [
        "--cluster",
        "create",
        ...addresses,
        "--cluster-replicas",
        String(full.replicas),
        "--cluster-yes",
      ]);
      await cluster.waitHealthy(30_000);
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** The seed nodes, as `REDIS_CLUSTER_NODES` lists them. */
  get nodes(): ClusterNodeAddress[] {
    return this.ports.map((port) => ({ host: "127.0.0.1", port }));
  }

  /** `host:port,…` for `REDIS_CLUSTER_NODES`. */
  get nodesText(): string {
    return this.ports.map((p) => `127.0.0.1:${String(p)}`).join(",");
  }

  /** The port of the master that serves a key's slot now. */
  async masterOf(key: string): Promise<number> {
    return this.withNode(async (node) => {
      const slot = (await node.call("CLUSTER", "KEYSLOT", key)) as number;
      const slots = (await node.call("CLUSTER", "SLOTS")) as [number, number, [string, number, string]][];
      const range = slots.find(([from, to]) => slot >= from && slot <= to);
      if (!range) throw new Error(`no node serves slot ${String(slot)}`);
      return range[2][1];
    });
  }

  /**
   * SIGKILLs a master's redis-server, waits until its replica has taken over (every live node
   * reports `cluster_state:ok`), then starts the killed node again: it rejoins as a replica.
   * Resolves with how long the slots had no master.
   */
  async failover(port: number): Promise<number> {
    const child = this.servers.get(port);
    if (!child) throw new Error(`no node on port ${String(port)}`);
    const exited = new Promise<void>((resolve) =>
      child.once("exit", () => {
        resolve();
      }),
    );
    const started = Date.now();
    child.kill("SIGKILL");
    await exited;
    this.servers.delete(port);
    await this.waitHealthy(10 * this.options.nodeTimeoutMs + 10_000, port);
    const took = Date.now() - started;
    await this.startNode(port);
    await this.waitHealthy(30_000);
    return took;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.servers.values()].map((child) => stopRedisServer(child)));
    this.servers.clear();
  }

  private async startNode(port: number): Promise<void> {
    const child = spawn(
      "redis-server",
      [
        ...["--bind", "127.0.0.1", "--port", String(port), "--dir", this.options.dir],
        ...["--cluster-enabled", "yes", "--cluster-config-file", `nodes-${String(port)}.conf`],
        ...["--cluster-node-timeout", String(this.options.nodeTimeoutMs)],
        // Masters that stay up keep serving their slots while another one fails over.
        ...["--cluster-require-full-coverage", "no"],
        ...["--appendonly", "no", "--save", "", "--maxmemory-policy", "noeviction"],
      ],
      // Its own process group: a Ctrl-C in the terminal reaches the launcher, which stops the
      // processes first and the cluster last, not the nodes under running processes.
      { stdio: "ignore", detached: true },
    );
    this.servers.set(port, child);
    const deadline = Date.now() + 10_000;
    while (!(await redisAnswers(`redis://127.0.0.1:${String(port)}`))) {
      if (child.exitCode !== null) throw new Error(`redis-server on ${String(port)} exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`redis-server on ${String(port)} did not answer`);
      await sleep(100);
    }
  }

  /**
   * Until every running node sees all 16384 slots ok, served by masters other than `down` (a
   * killed master counts as gone only once its replica serves its slots).
   */
  private async waitHealthy(timeoutMs: number, down?: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const live = this.ports.filter((p) => p !== down);
    for (;;) {
      const states = await Promise.all(live.map((port) => nodeState(port)));
      // A replica that never synced would not take over (or would, empty): wait for every link too.
      const ready = (s: NodeState) => s.ok && (down === undefined ? s.linked : !s.masters.includes(down));
      if (states.every(ready)) return;
      if (Date.now() > deadline) throw new Error(`redis cluster not healthy after ${String(timeoutMs)} ms`);
      await sleep(100);
    }
  }

  private async withNode<T>(use: (node: Redis) => Promise<T>): Promise<T> {
    for (const port of this.servers.keys()) {
      const node = new Redis(port, "127.0.0.1", { maxRetriesPerRequest: 0, retryStrategy: () => null });
      node.on("error", () => undefined);
      try {
        return await use(node);
      } catch {
        continue;
      } finally {
        node.disconnect();
      }
    }
    throw new Error("no cluster node answers");
  }
}

/** What one node thinks of the cluster: every slot ok, its replication link, the masters serving slots. */
interface NodeState {
  readonly ok: boolean;
  /** A master, or a replica whose link to its master is up. */
  readonly linked: boolean;
  readonly masters: number[];
}

async function nodeState(port: number): Promise<NodeState> {
  const node = new Redis(port, "127.0.0.1", { maxRetriesPerRequest: 0, retryStrategy: () => null });
  node.on("error", () => undefined);
  try {
    const info = (await node.call("CLUSTER", "INFO")) as string;
    const slots = (await node.call("CLUSTER", "SLOTS")) as [number, number, [string, number]][];
    const ok = ["cluster_state:ok", "cluster_slots_ok:16384", "cluster_slots_pfail:0"].every((s) => info.includes(s));
    const replication = await node.info("replication");
    const linked = replication.includes("role:master") || replication.includes("master_link_status:up");
    return { ok, linked, masters: slots.map((range) => range[2][1]) };
  } catch {
    return { ok: false, linked: false, masters: [] };
  } finally {
    node.disconnect();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === "object") resolve(address.port);
        else reject(new Error("no port"));
      });
    });
  });
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => {
      resolve(false);
    });
    server.listen(port, "127.0.0.1", () =>
      server.close(() => {
        resolve(true);
      }),
    );
  });
}

/** Free ports whose cluster-bus port (port + 10000) is free too. */
async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await freePort();
    if (port + 10_000 <= 65_535 && !ports.includes(port) && (await portFree(port + 10_000))) ports.push(port);
  }
  return ports;
}
