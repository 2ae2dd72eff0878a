import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { createClient, NotFoundError, ValidationError, type GroupView } from "../src/index.ts";
import { it } from "./system-env.ts";

describe("client.groups", () => {
  it("enqueues a batch into a group, streams it to the end, retries and cancels it", async ({ sys, started }) => {
    const client = createClient({ baseUrl: sys.apiUrl, token: started.token });
    const groupId = `client-${randomUUID()}`;
    const work = { type: "synthetic", subtype: "work" } as const;
    const answer = await client.jobs.enqueueBatch(
      [
        { ...work, input: { durationMs: 300 } },
        { ...work, input: { failAttempts: 1 }, maxAttempts: 1 },
      ],
      { groupId },
    );
    expect(answer.jobs.map((a) => a.job.groupId)).toEqual([groupId, groupId]);

    const views: GroupView[] = [];
    for await (const view of client.groups.stream(groupId)) views.push(view);
    const last = views.at(-1);
    expect(last?.finishedAt).not.toBeNull();
    expect(last?.counts).toMatchObject({ completed: 1, failed: 1 });
    expect(await client.groups.get(groupId)).toEqual(last);
    expect(await client.groups.get(groupId, { orgId: started.org })).toEqual(last);

    // Its second attempt succeeds (failAttempts: 1): the group finishes again, all completed.
    expect((await client.groups.retry(groupId)).done).toBe(1);
    let again: GroupView | undefined;
    for await (const view of client.groups.stream(groupId)) again = view;
    expect(again?.counts).toMatchObject({ completed: 2, failed: 0 });
    expect(await client.groups.cancel(groupId)).toEqual({ group: again, done: 0, stopping: 0 });
  });

  it("throws the API's refusals as typed errors", async ({ sys, started }) => {
    const client = createClient({ baseUrl: sys.apiUrl, token: started.token });
    await expect(client.groups.get(randomUUID())).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.groups.cancel("g".repeat(201))).rejects.toBeInstanceOf(ValidationError);
    const stream = client.groups.stream(randomUUID())[Symbol.asyncIterator]();
    await expect(stream.next()).rejects.toBeInstanceOf(NotFoundError);
  });
});
