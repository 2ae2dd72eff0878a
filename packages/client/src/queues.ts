import type { QueueAnswer, QueueList } from "./generated/types.ts";
import { callsOf } from "./calls.ts";
import type { Transport } from "./transport.ts";

/** The queues every org shares: operators and services read them, operators pause and resume. */
export interface QueuesApi {
  /** Every queue: depths, paused state, workers and finish rate. */
  list(extras?: { signal?: AbortSignal }): Promise<QueueList>;
  /** Stops every worker from starting its jobs (running ones finish); the answer is the queue after it. */
  pause(name: string, extras?: { signal?: AbortSignal }): Promise<QueueAnswer>;
  resume(name: string, extras?: { signal?: AbortSignal }): Promise<QueueAnswer>;
}

export function queuesApi(transport: Transport): QueuesApi {
  const { read, send } = callsOf(transport);
  // Pausing or resuming twice lands the same: a lost answer may be sent again.
  const change = async (name: string, action: "pause" | "resume", signal?: AbortSignal) =>
    (await send("POST", `v1/queues/${encodeURIComponent(name)}/${action}`, { resend: true, signal })) as QueueAnswer;
  return {
    async list(extras = {}) {
      return (await read("v1/queues", undefined, extras.signal)) as QueueList;
    },
    pause: (name, extras = {}) => change(name, "pause", extras.signal),
    resume: (name, extras = {}) => change(name, "resume", extras.signal),
  };
}
