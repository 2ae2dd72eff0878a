import { createHash, randomBytes, randomUUID } from "node:crypto";
import {
  findIdempotentJobs,
  insertJobs,
  revertToPending,
  type DispatchedStatus,
  type NewJobRow,
  type NewJobStatus,
  type Queryable,
} from "@jobstream/db";
import { resolveJobKind } from "@jobstream/job-types";
import { dispatchedStatuses, type FlowNode } from "./flow";
import { activeTracing } from "@jobstream/runtime";
import { jobOptionsFor, type JobOverrides } from "./job-options";
import type { Producer } from "./producer";

/** A validated enqueue request (the API and the housekeeper build these). */
export interface EnqueueRequest extends JobOverrides {
  readonly orgId: string;
  readonly userId: string | null;
  readonly type: string;
  readonly subtype: string;
  readonly name: string;
  /** Already parsed by the subtype's input schema. */
  readonly input: unknown;
  readonly runAt?: Date | null;
  readonly idempotencyKey?: string | null;
  /** `hashEnqueueRequest` of the normalized request, stored with the key (see the API's idempotency rule). */
  readonly requestHash?: string | null;
  readonly parentId?: string | null;
  readonly groupId?: string | null;
  /** Set by a schedule's tick: the run's link back to its schedule. */
  readonly scheduleId?: string | null;
  readonly metadata?: Record<string, unknown>;
  readonly expiresInSeconds?: number;
  /**
   * Sub-jobs stored with this job in the same statement and added with it as one BullMQ flow: this
   * job waits (`waiting_children`) until each is final. They inherit org, user and group; their
   * own idempotency keys are ignored (the flow's key is its root's).
   */
  readonly children?: readonly EnqueueRequest[];
}

export interface EnqueueResult {
  readonly id: string;
  /** False when an idempotency key returned an existing job. */
  readonly created: boolean;
  /** The stored row and its status now, for new jobs (no need to read them back). */
  readonly stored: {
    readonly row: NewJobRow;
    readonly status: "pending" | DispatchedStatus;
    readonly queuedAt: Date | null;
    /** The row's version (0 as stored): realtime streams use it as the event id. */
    readonly version: bigint;
  } | null;
  /** Shown once; only its sha256 is stored. Null for existing jobs. */
  readonly accessToken: string | null;
  /** Whether the job reached Redis now (else the housekeeper's outbox sends it later). */
  readonly dispatched: boolean;
  /** The results of the request's `children`, in order (empty for a job found by its idempotency key). */
  readonly children: readonly EnqueueResult[];
}

/** A request's row, its one-time access token and its children's. */
interface Built {
  readonly row: NewJobRow;
  readonly token: string;
  readonly children: readonly Built[];
}

export function hashAccessToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Stores the jobs in one statement as where adding them to Redis puts them (`queued`, `delayed`,
 * `waiting_children`, with their timeline events), then adds them to their queues. If Redis fails,
 * the rows go back to `pending` and the outbox dispatches them later: the caller can still answer
 * 202. A process that dies between the two leaves rows the reconciler re-adds from Postgres. With
 * tracing on, this is a span whose context each row stores, so the job's attempts continue its
 * trace whichever path adds it.
 */
export function enqueueJobs(...args: Parameters<typeof storeAndDispatch>): Promise<EnqueueResult[]> {
  const tracing = activeTracing();
  if (tracing === null) return storeAndDispatch(...args);
  return tracing.inSpan("jobstream enqueue", { "jobstream.jobs": args[1].length }, () => storeAndDispatch(...args));
}

async function storeAndDispatch(
  deps: {
    readonly db: Queryable;
    readonly producer: Producer;
    readonly onDispatchError?: (error: unknown) => void;
    /**
     * Called with the new rows and their stored status, before they reach Redis (realtime streams
     * announce them; a row moved back to `pending` comes back in the results with a later version).
     */
    readonly onStored?: (rows: readonly { row: NewJobRow; status: NewJobStatus }[]) => Promise<void>;
    /** A running job adding sub-jobs: each request is added under it in BullMQ (it waits for them). */
    readonly attachTo?: { readonly id: string; readonly type: string };
  },
  requests: readonly EnqueueRequest[],
): Promise<EnqueueResult[]> {
  const now = Date.now();
  // The enqueue span's context (tracing on), stored with each job: see jobSpec.
  const trace = activeTracing()?.carrier();
  // Ids in ascending order along the requests (children after their parent, in the order given):
  // rows of one request share `created_at`, and sub-jobs are read back ordered by (created_at, id).
  const size = (req: EnqueueRequest): number => 1 + (req.children ?? []).reduce((n, c) => n + size(c), 0);
  const ids = Array.from({ length: requests.reduce((n, r) => n + size(r), 0) }, () => randomUUID())
    .sort()
    .reverse();
  const build = (req: EnqueueRequest, parent: NewJobRow | null): Built => {
    const resolved = resolveJobKind(req.type, req.subtype);
    if (!resolved.ok) throw new Error(resolved.message);
    const defaults = resolved.kind.definition.defaults;
    const token = randomBytes(24).toString("base64url");
    const children = req.children ?? [];
    const parentOf = children.length > 0 ? { onChildFailure: req.onChildFailure ?? "fail" } : {};
    const fixed = jobOptionsFor({ ...req, ...parentOf }, defaults);
    const id = ids.pop();
    if (id === undefined) throw new Error("fewer ids than jobs");
    const row: NewJobRow = {
      id,
      orgId: parent?.orgId ?? req.orgId,
      userId: parent === null ? req.userId : parent.userId,
      type: resolved.kind.type,
      subtype: resolved.kind.subtype,
      name: req.name,
      queue: resolved.kind.definition.type,
      idempotencyKey: parent === null ? (req.idempotencyKey ?? null) : null,
      requestHash: parent === null ? (req.requestHash ?? null) : null,
      parentId: parent?.id ?? req.parentId ?? null,
      groupId: parent === null ? (req.groupId ?? null) : parent.groupId,
      scheduleId: req.scheduleId ?? null,
      ...fixed,
      options: trace === undefined ? fixed.options : { ...fixed.options, trace },
      input: req.input,
      metadata: req.metadata ?? {},
      accessTokenHash: hashAccessToken(token),
      runAt: req.runAt ?? null,
      retentionSeconds: req.expiresInSeconds ?? defaults.retentionSeconds,
      createdAt: new Date(now),
    };
    return { row, token, children: children.map((child) => build(child, row)) };
  };
  const built = requests.map((req) => build(req, null));
  const rows = built.map((b) => b.row);
  const flat = (b: Built): NewJobRow[] => [b.row, ...b.children.flatMap(flat)];
  const toNode = (b: Built): FlowNode => ({ job: { ...b.row, attempts: 0 }, children: b.children.map(toNode) });
  const attachTo = deps.attachTo;
  const nodeOf = (b: Built): FlowNode => (attachTo === undefined ? toNode(b) : { ...toNode(b), attachTo });
  const statuses = new Map(dispatchedStatuses(built.map(nodeOf), now).map((s) => [s.id, s.status]));
  const statusOf = (r: NewJobRow): DispatchedStatus => statuses.get(r.id) ?? "queued";

  // A flow's rows go in the one statement with the rest: all stored, or none.
  const inserted = await insertJobs(deps.db, built.flatMap(flat), statusOf);
  // Jobs whose idempotency key already existed: answer with the existing job.
  const missing = rows.filter((r) => !inserted.has(r.id));
  const existingByKey = new Map<string, Map<string, string>>();
  for (const orgId of new Set(missing.map((r) => r.orgId))) {
    const keys = missing
      .filter((r) => r.orgId === orgId && r.idempotencyKey !== null)
      .map((r) => r.idempotencyKey ?? "");
    const existing = await findIdempotentJobs(deps.db, orgId, keys);
    existingByKey.set(orgId, new Map(existing.map((j) => [j.idempotencyKey, j.id])));
  }

  const freshBuilt = built.filter((b) => inserted.has(b.row.id));
  const fresh = freshBuilt.flatMap(flat);
  if (fresh.length > 0) await deps.onStored?.(fresh.map((row) => ({ row, status: statusOf(row) })));
  let dispatched = true;
  // Rows moved back to `pending` (the add failed), with their new versions.
  let reverted = new Map<string, bigint>();
  if (fresh.length > 0) {
    try {
      // The same rows the outbox and the reconciler would read back, so each path adds the same BullMQ jobs.
      await deps.producer.dispatch(freshBuilt.map(nodeOf));
    } catch (error) {
      dispatched = false;
      deps.onDispatchError?.(error);
      // If Postgres fails too, the rows stay as stored and the reconciler adds them later.
      reverted = await revertToPending(
        deps.db,
        fresh.map((r) => r.id),
      ).catch((revertError: unknown) => {
        deps.onDispatchError?.(revertError);
        return new Map<string, bigint>();
      });
    }
  }

  const resultOf = (b: Built): EnqueueResult => {
    const r = b.row;
    const version = reverted.get(r.id);
    // Dispatched: as stored (version 0). Not dispatched: back to `pending`, unless a worker that got
    // part of the flow was faster, so the caller reads the row back (stored null).
    const stored = dispatched
      ? { row: r, status: statusOf(r), queuedAt: r.createdAt, version: 0n }
      : version === undefined
        ? null
        : { row: r, status: "pending" as const, queuedAt: null, version };
    return { id: r.id, created: true, stored, accessToken: b.token, dispatched, children: b.children.map(resultOf) };
  };
  return built.map((b) => {
    const r = b.row;
    if (inserted.has(r.id)) return resultOf(b);
    const existing = existingByKey.get(r.orgId)?.get(r.idempotencyKey ?? "");
    if (existing === undefined) throw new Error(`job ${r.id} was neither stored nor found by its idempotency key`);
    return { id: existing, created: false, stored: null, accessToken: null, dispatched: true, children: [] };
  });
}
