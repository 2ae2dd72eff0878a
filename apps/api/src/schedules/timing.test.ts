import { describe, expect, it } from "vitest";
import { timingIssues, type Timing } from "./timing";

const base: Timing = { cron: null, everyMs: 60_000, timezone: "UTC", startAt: null, endAt: null };
const paths = (t: Partial<Timing>) => timingIssues({ ...base, ...t }).map((i) => i.path);

describe("timingIssues", () => {
  it.each<[string, Partial<Timing>, string[]]>([
    ["an interval", {}, []],
    ["a cron pattern", { cron: "*/5 * * * *", everyMs: null }, []],
    ["a cron pattern with seconds", { cron: "*/10 * * * * *", everyMs: null }, []],
    ["a cron pattern in a zone", { cron: "30 2 * * *", everyMs: null, timezone: "Europe/Berlin" }, []],
    ["both", { cron: "* * * * *" }, ["everyMs"]],
    ["neither", { everyMs: null }, ["cron"]],
    ["a bad pattern", { cron: "61 * * * *", everyMs: null }, ["cron"]],
    ["words", { cron: "every day", everyMs: null }, ["cron"]],
    ["a pattern that never fires", { cron: "0 0 30 2 *", everyMs: null }, ["cron"]],
    ["an unknown zone", { timezone: "Mars/Olympus_Mons" }, ["timezone"]],
    ["an unknown zone with a pattern", { cron: "0 * * * *", everyMs: null, timezone: "Nowhere" }, ["timezone"]],
    ["an end before the start", { startAt: new Date(2000), endAt: new Date(1000) }, ["endAt"]],
  ])("%s → %j", (_name, timing, expected) => {
    expect(paths(timing)).toEqual(expected);
  });
});
