import { readdirSync, readFileSync } from "node:fs";

/** CPU time (user + system) of one process so far, in clock ticks; null when it is gone. */
function ticksOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/** Pids whose command name (/proc/<pid>/comm) starts with `name` (e.g. every postgres backend). */
function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").startsWith(name)) pids.push(Number(entry));
    } catch {
      /* ended meanwhile */
    }
  }
  return pids;
}

/** A process and its children (a cluster primary and its workers); none when it is gone. */
export function withChildren(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    return [pid, ...(children === "" ? [] : children.split(/\s+/).map(Number))];
  } catch {
    return [];
  }
}

const TICKS_PER_SECOND = 100;

/** Busy ticks of the whole machine (every core, every process, this container's or not). */
function machineBusyTicks(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return user + nice + system + irq + softirq + steal;
}

/**
 * Measures the CPU used by named groups of processes over an interval, in percent of one core
 * (200 % = both cores of a 2-core machine), and `machine`: every busy core, whoever used it (the
 * difference to the groups is load this benchmark did not make). Postgres backends that start
 * during the interval are counted from zero, those that end are missed.
 */
export async function measureCpu<T>(
  groups: Record<string, () => number[]>,
  run: () => Promise<T>,
): Promise<{ result: T; cpuPercent: Record<string, number> }> {
  const before = new Map<string, Map<number, number>>();
  for (const [group, pids] of Object.entries(groups))
    before.set(group, new Map(pids().map((pid) => [pid, ticksOf(pid) ?? 0])));
  const machineBefore = machineBusyTicks();
  const started = performance.now();
  const result = await run();
  const machineTicks = machineBusyTicks() - machineBefore;
  const seconds = (performance.now() - started) / 1000;
  const cpuPercent: Record<string, number> = { machine: Math.round((100 * machineTicks) / TICKS_PER_SECOND / seconds) };
  for (const [group, pids] of Object.entries(groups)) {
    let ticks = 0;
    for (const pid of pids()) ticks += (ticksOf(pid) ?? 0) - (before.get(group)?.get(pid) ?? 0);
    cpuPercent[group] = Math.round((100 * ticks) / TICKS_PER_SECOND / seconds);
  }
  return { result, cpuPercent };
}

export const processGroups = {
  postgres: () => pidsNamed("postgres"),
  redis: () => pidsNamed("redis-server"),
  self: () => [process.pid],
};
