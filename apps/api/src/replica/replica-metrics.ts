import { Counter, Gauge, type Registry } from "prom-client";
import type { ReadRouting } from "./read-routing";

/** The read replica's lag and where reads went; without DATABASE_READ_URL only the read counts. */
export function registerReplicaMetrics(registry: Registry, reads: ReadRouting): void {
  new Counter({
    name: "jobstream_reads_total",
    help: "Reads by where they were served (replica, primary) and why",
    labelNames: ["target", "reason"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [key, n] of reads.tally) {
        const [target = "", reason = ""] = key.split(":");
        this.inc({ target, reason }, n);
      }
    },
  });
  const monitor = reads.monitor;
  if (monitor === undefined) return;
  new Gauge({
    name: "jobstream_replica_up",
    help: "1 while the read replica serves reads, 0 while it is down or lagging (reads go to the primary)",
    registers: [registry],
    // Each API process (API_PROCESSES) probes the same replica: aggregated, the least healthy counts.
    aggregator: "min",
    collect() {
      this.set(monitor.health.status === "ok" ? 1 : 0);
    },
  });
  new Gauge({
    name: "jobstream_replica_lag_seconds",
    help: "How far the read replica's replay is behind the primary, at the last probe (NaN: not answering)",
    registers: [registry],
    aggregator: "max",
    collect() {
      const ms = monitor.health.lagMs;
      this.set(ms === null ? Number.NaN : ms / 1000);
    },
  });
  new Gauge({
    name: "jobstream_replica_lag_bytes",
    help: "WAL bytes the read replica has not replayed yet, at the last probe (NaN: not answering)",
    registers: [registry],
    aggregator: "max",
    collect() {
      this.set(monitor.health.lagBytes ?? Number.NaN);
    },
  });
}
