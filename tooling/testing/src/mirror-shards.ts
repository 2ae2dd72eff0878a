import type { AppProcess } from "./process";

/** The shards of `queue` a mirror process holds now, as its log tells (taken, handed over, lost). */
export function heldShards(mirror: AppProcess, queue: string): Set<number> {
  const held = new Set<number>();
  const marker = `"queue":${JSON.stringify(queue)}`;
  for (const line of mirror.output().split("\n")) {
    if (!line.startsWith("{") || !line.includes(marker)) continue;
    const entry = JSON.parse(line) as { msg?: string; shard?: number };
    if (entry.shard === undefined) continue;
    if (entry.msg === "mirroring shard") held.add(entry.shard);
    else if (entry.msg === "handing mirror shard over" || entry.msg === "lost mirror lease") held.delete(entry.shard);
  }
  return held;
}

/** The `jobstream_mirror_entries_total` a worker process reports on its health port. */
export async function mirroredEntries(worker: AppProcess): Promise<number> {
  const started = await worker.waitForLog("worker started");
  const text = await (await fetch(`http://127.0.0.1:${String(started.healthPort)}/metrics`)).text();
  return Number(/^jobstream_mirror_entries_total (\d+)/m.exec(text)?.[1] ?? 0);
}
