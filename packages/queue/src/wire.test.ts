import { describe, expect, it } from "vitest";
import { jobSnapshot } from "@jobstream/db/testing";
import { parseStreamEntry } from "./wire";

const id = "7b0c1c4e-3f6a-4a55-9a43-0d6f0e0a9b11";
const snapshot = jobSnapshot({
  status: "completed",
  progress: 100,
  output: { ok: true },
  startedAt: 1,
  finishedAt: 2,
  durationMs: 1,
});
const payload = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ snapshot, items: [], timeline: [{ type: "completed", data: {}, at: 2 }], ...over });
const fields = (j: string, s: string, d: string) => ["j", j, "s", s, "d", d];

describe("parseStreamEntry", () => {
  it("decodes a well-formed entry", () => {
    const decoded = parseStreamEntry(fields(id, "3", payload()));
    expect(decoded).toMatchObject({ ok: true, entry: { jobId: id, seq: 3, snapshot: { status: "completed" } } });
  });
  it("passes the publishing attempt's trace context beside the entry, and none when it carried none", () => {
    const trace = { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };
    expect(parseStreamEntry(fields(id, "3", payload({ trace })))).toMatchObject({ ok: true, trace });
    expect(parseStreamEntry(fields(id, "3", payload()))).not.toHaveProperty("trace");
  });
  it("accepts a sequence gap (snapshots carry the whole state)", () => {
    expect(parseStreamEntry(fields(id, "900", payload())).ok).toBe(true);
  });
  it.each([
    ["missing payload", ["j", id, "s", "1"], "missing field"],
    ["non-uuid job id (a BullMQ id)", fields("5", "1", payload()), "not a uuid"],
    ["sequence not a number", fields(id, "NaN", payload()), "sequence"],
    ["sequence zero", fields(id, "0", payload()), "sequence"],
    ["broken JSON", fields(id, "1", "{not json"), "not JSON"],
    [
      "unknown event type",
      fields(id, "1", payload({ timeline: [{ type: "exploded", data: {}, at: 1 }] })),
      "timeline.0.type",
    ],
    ["unknown status", fields(id, "1", payload({ snapshot: { ...snapshot, status: "weird" } })), "snapshot.status"],
    ["empty item ref", fields(id, "1", payload({ items: [{ ref: "" }] })), "items.0"],
    [
      "time outside Date's range",
      fields(id, "1", payload({ snapshot: { ...snapshot, finishedAt: 1e17 } })),
      "snapshot.finishedAt",
    ],
    [
      "attempts beyond int4",
      fields(id, "1", payload({ snapshot: { ...snapshot, attempts: 2 ** 40 } })),
      "snapshot.attempts",
    ],
    [
      "more timeline entries than numbers",
      fields(id, "1", payload({ timeline: [1, 2].map(() => ({ type: "step", data: {}, at: 1 })) })),
      "timeline entries",
    ],
    ["NUL in output", fields(id, "1", payload({ snapshot: { ...snapshot, output: { text: "a\u0000b" } } })), "NUL"],
    [
      "lone surrogate in an item message",
      fields(
        id,
        "1",
        payload({ items: [{ ref: "r", status: "error", message: "\ud800", errorCode: "x", attempt: 1, at: 1 }] }),
      ),
      "surrogate",
    ],
    [
      "NUL in a key of timeline data",
      fields(id, "1", payload({ timeline: [{ type: "step", data: { "k\u0000": 1 }, at: 1 }] })),
      "NUL",
    ],
  ])("refuses %s", (_name, input, reason) => {
    const decoded = parseStreamEntry(input);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.error).toContain(reason);
  });
});
