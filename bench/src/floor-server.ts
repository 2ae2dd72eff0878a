// The "floor" of the API benchmark: the least a process can do to answer GET /v1/jobs/:id on
// this machine — node:http, the API's by-id statement (the job and its children's counts) through
// pg with the API's pool size, JSON out.
// No routing, auth, rate limiting, headers or view mapping. Started by api-latency.ts:
//   node --import tsx src/floor-server.ts <databaseUrl> <poolSize> [processes]
// With processes > 1 it forks that many (node:cluster) sharing the port, as API_PROCESSES does.
import cluster from "node:cluster";
import { createServer } from "node:http";
import { createPool, findJobViewWithChildren } from "@jobstream/db";

const [databaseUrl, poolSize, processes = "1"] = process.argv.slice(2);
if (databaseUrl === undefined) throw new Error("usage: floor-server.ts <databaseUrl> <poolSize> [processes]");
if (Number(processes) > 1 && cluster.isPrimary) {
  for (let i = 0; i < Number(processes); i++) cluster.fork();
  process.once("SIGTERM", () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
  });
} else serve(databaseUrl);

function serve(databaseUrl: string): void {
  const pool = createPool({ connectionString: databaseUrl, max: Number(poolSize ?? 4) });
  const UUID_PATH = /^\/v1\/jobs\/([0-9a-f-]{36})$/;

  const server = createServer((req, res) => {
    const id = UUID_PATH.exec(req.url ?? "")?.[1];
    if (id === undefined) {
      res.writeHead(404).end();
      return;
    }
    findJobViewWithChildren(pool, id).then(
      (found) => {
        res.writeHead(found === null ? 404 : 200, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify(found));
      },
      (error: unknown) => {
        res.writeHead(500).end(String(error));
      },
    );
  });
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    console.log(
      JSON.stringify({
        msg: "floor listening",
        port: typeof address === "object" && address !== null ? address.port : 0,
      }),
    );
  });
  process.once("SIGTERM", () => {
    server.close();
    server.closeAllConnections();
    void pool.end();
  });
}
