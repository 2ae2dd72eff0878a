import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { systemTest } from "@jobstream/testing/fixtures";

const it = systemTest((sys) => sys.startApi());

interface Depth {
  type: string;
  waiting: number;
  prioritized: number;
  active: number;
  delayed: number;
}
interface QueuesAnswer {
  queueDepths: Depth[] | null;
  depthsScope: string;
}

describe("queue depths in /v1/stats/queues", () => {
  it("shows an org admin its own org's depths, and operators and services every org's", async ({ sys }) => {
    const [orgA, orgB] = [randomUUID(), randomUUID()];
    const memberA = await sys.token({ sub: randomUUID(), org: orgA, role: "member" });
    const memberB = await sys.token({ sub: randomUUID(), org: orgB, role: "member" });
    // No worker runs: the jobs stay waiting (or delayed) in the queue.
    for (let i = 0; i < 2; i++) await sys.enqueue(memberA, { type: "synthetic", input: {} });
    await sys.enqueue(memberA, { type: "synthetic", input: {}, delayMs: 600_000 });
    for (let i = 0; i < 3; i++) await sys.enqueue(memberB, { type: "synthetic", input: {} });

    const depthsOf = async (token: string) => {
      const res = await sys.request<QueuesAnswer>("GET", "/v1/stats/queues", { token });
      expect(res.status).toBe(200);
      return { scope: res.body.depthsScope, synthetic: res.body.queueDepths?.find((d) => d.type === "synthetic") };
    };
    const adminA = await depthsOf(await sys.token({ sub: randomUUID(), org: orgA, role: "admin" }));
    expect(adminA.scope).toBe("org");
    expect(adminA.synthetic).toMatchObject({ waiting: 2, delayed: 1, active: 0 });
    const adminB = await depthsOf(await sys.token({ sub: randomUUID(), org: orgB, role: "admin" }));
    expect(adminB.synthetic).toMatchObject({ waiting: 3, delayed: 0 });
    for (const role of ["operator", "service"] as const) {
      const all = await depthsOf(await sys.token({ sub: randomUUID(), org: randomUUID(), role }));
      expect(all.scope).toBe("all");
      expect((all.synthetic?.waiting ?? 0) + (all.synthetic?.prioritized ?? 0)).toBe(5);
      expect(all.synthetic?.delayed).toBe(1);
    }
  });
});
