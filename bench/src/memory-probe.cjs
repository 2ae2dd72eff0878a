// Preload (NODE_OPTIONS="--expose-gc --require …/memory-probe.cjs") of the pipeline's processes: on
// SIGUSR2 it runs a full garbage collection and writes the heap still in use, in bytes, to
// $MEMORY_PROBE_DIR/memory-<pid>.json. Peak RSS also counts garbage V8 has not collected yet (it lets
// the old generation grow to several times the live heap before a full collection, so a longer run
// can peak higher with nothing more held); this is what the process really holds.
const fs = require("node:fs");

process.on("SIGUSR2", () => {
  if (typeof globalThis.gc !== "function") return;
  globalThis.gc();
  const { heapUsed } = process.memoryUsage();
  const file = `${process.env.MEMORY_PROBE_DIR}/memory-${process.pid}.json`;
  fs.writeFileSync(`${file}.tmp`, JSON.stringify({ heapUsed }));
  fs.renameSync(`${file}.tmp`, file);
});
