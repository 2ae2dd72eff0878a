import { FlowProducer, Queue } from "bullmq";
import { activeTracing, isCluster, type RedisClient } from "@jobstream/runtime";
import { isJobTypeName, jobTypes, type JobDefaults, type JobTypeName } from "@jobstream/job-types";
import { FairShare } from "./fair-share";
import { flowJob, flowJobs, type FlowNode } from "./flow";
import { splitAtSlots } from "./flow-slots";
import { jobSpec, type JobSpec, type JobSpecSource } from "./job-spec";
import { keysFor, type Keys } from "./keys";
import { NO_QUEUE_GROUPS, type QueueGroups } from "./queue-groups";

/** A type's defaults, for the fields a row does not store (rows of older deploys). */
function defaultsOf(type: string): JobDefaults {
  if (!isJobTypeName(type)) throw new Error(`no queue for job type ${type}`);
  return jobTypes[type].defaults;
}

export interface ProducerOptions {
  /**
   * Orgs share each queue fairly (`FairShare`: one more Redis call per queue and add); off, jobs
   * run in priority then FIFO order across every org.
   * @defaultValue true
   */
  readonly fairShare?: boolean;
  /**
   * `REDIS_CLUSTER_QUEUE_GROUPS`: job types whose queues share a hash slot on a cluster (so flows may
   * mix them). Every process of a deployment must use the same groups: they name BullMQ's keys.
   * @defaultValue no groups
   */
  readonly queueGroups?: QueueGroups;
}

/**
 * One producer-side BullMQ Queue per job type, sharing one connection. Its `keys` are the
 * deployment's (cluster tags and queue groups): code naming a queue's BullMQ keys takes them from here.
 */
export class Producer {
  readonly queues = new Map<string, Queue>();
  private readonly flows: FlowProducer;
  readonly keys: Keys;
  private readonly fair: FairShare | null;

  constructor(
    readonly connection: RedisClient,
    readonly prefix: string,
    onError: (error: Error, queue: string) => void,
    options: ProducerOptions = {},
  ) {
    this.keys = keysFor(prefix, isCluster(connection), options.queueGroups ?? NO_QUEUE_GROUPS);
    this.fair = options.fairShare === false ? null : new FairShare(connection, this.keys);
    for (const type of Object.keys(jobTypes) as JobTypeName[]) {
      // BullMQ's own event stream is not read by Jobstream: keep it short.
      const queue = new Queue(type, {
        connection: this.connection,
        prefix: this.keys.bullPrefix(type),
        streams: { events: { maxLen: 1000 } },
        telemetry: activeTracing()?.bullmq,
      });
      queue.on("error", (error) => {
        onError(error, type);
      });
      this.queues.set(type, queue);
    }
    // Each flow node names its queue's prefix (flowJob); this one is only the default.
    this.flows = new FlowProducer({ connection: this.connection, prefix: this.prefix });
    this.flows.on("error", (error) => {
      onError(error, "flows");
    });
  }

  queue(type: string): Queue {
    const queue = this.queues.get(type);
    if (!queue) throw new Error(`no queue for job type ${type}`);
    return queue;
  }

  /** Adds jobs from their rows (idempotent by job id) with one round trip per queue. */
  async add(jobs: readonly JobSpecSource[]): Promise<void> {
    const fair = await this.fairPriorities(jobs);
    const now = Date.now();
    const byQueue = new Map<string, JobSpec[]>();
    for (const job of jobs) {
      const spec = jobSpec(job, defaultsOf(job.type), now, fair?.get(job.id));
      const list = byQueue.get(spec.queue);
      if (list) list.push(spec);
      else byQueue.set(spec.queue, [spec]);
    }
    await Promise.all(
      [...byQueue].map(([queue, specs]) =>
        this.queue(queue).addBulk(specs.map(({ name, data, opts }) => ({ name, data, opts }))),
      ),
    );
  }

  /**
   * Adds jobs with their sub-jobs: a lone job as `add` does, a job with children (or one attached
   * under a parent already in Redis) as a BullMQ flow, all flows in one atomic call (on a cluster,
   * one per hash slot: BullMQ adds flows in one MULTI). A flow that would span slots is added in
   * parts (`splitAtSlots`).
   */
  async dispatch(given: readonly FlowNode[]): Promise<void> {
    const nodes = splitAtSlots(given, this.keys);
    const lone = nodes.filter((n) => n.children.length === 0 && n.attachTo === undefined);
    const flows = nodes.filter((n) => n.children.length > 0 || n.attachTo !== undefined);
    const addFlows = async (): Promise<void> => {
      const fair = await this.fairPriorities(flowJobs(flows));
      const now = Date.now();
      const bySlot = new Map<string | null, FlowNode[]>();
      for (const node of flows) {
        const tag = this.keys.bullTag(node.job.type);
        const list = bySlot.get(tag);
        if (list) list.push(node);
        else bySlot.set(tag, [node]);
      }
      await Promise.all(
        [...bySlot.values()].map((slot) =>
          this.flows.addBulk(slot.map((node) => flowJob(node, defaultsOf, this.keys, now, fair ?? undefined))),
        ),
      );
    };
    await Promise.all([
      lone.length > 0 ? this.add(lone.map((n) => n.job)) : undefined,
      flows.length > 0 ? addFlows() : undefined,
    ]);
  }

  /** Fair-share BullMQ priorities by job id; null with fair share off. */
  private async fairPriorities(jobs: readonly JobSpecSource[]): Promise<Map<string, number> | null> {
    return this.fair === null || jobs.length === 0 ? null : this.fair.priorities(jobs);
  }

  async close(): Promise<void> {
    await Promise.all([...[...this.queues.values()].map((q) => q.close()), this.flows.close()]);
  }
}
