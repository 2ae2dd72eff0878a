// Preload (NODE_OPTIONS="--require …/cpu-profile.cjs") that records a CPU profile of the process
// into $CPU_PROFILE_DIR when it exits: --cpu-prof itself is not allowed in NODE_OPTIONS.
const inspector = require("node:inspector");
const fs = require("node:fs");
const session = new inspector.Session();
session.connect();
session.post("Profiler.enable", () => session.post("Profiler.start"));
const dir = process.env.CPU_PROFILE_DIR || "/tmp";
process.on("exit", () => {
  session.post("Profiler.stop", (error, result) => {
    if (!error) fs.writeFileSync(`${dir}/cpu-${process.pid}.cpuprofile`, JSON.stringify(result.profile));
  });
});
