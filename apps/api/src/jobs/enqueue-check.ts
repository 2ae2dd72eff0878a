import { findJobOwnership, SYSTEM_ORG_ID, type Db } from "@jobstream/db";
import { resolveJobKind, toFieldIssues, type FieldIssue, type JobTypeAudience } from "@jobstream/job-types";
import { findCrossSlot, hashEnqueueRequest, type EnqueueRequest, type Keys } from "@jobstream/queue";
import { canAccessJob } from "../auth/access";
import type { Principal } from "../auth/principal";
import { ApiError } from "../http/errors";
import { enqueueBodySchema, INHERITED_FIELDS } from "./schemas";

/** A request ready to store, with its hash (idempotency) and the field prefix of its body (`jobs.3`). */
export interface CheckedRequest {
  readonly request: EnqueueRequest & { readonly requestHash: string; readonly orgId: string };
  readonly prefix: string;
  /**
   * The items the inputs declare (the types' `itemsOf`, an upper bound; sub-jobs' included): what
   * the org's item budget is charged.
   */
  readonly items: number;
  /** Jobs the request creates: 1 plus its sub-jobs at any depth (the org's job budget is charged this many). */
  readonly jobs: number;
}

export type Checked = { ok: true; checked: CheckedRequest } | { ok: false; issues: FieldIssue[]; forbidden?: boolean };

/**
 * Validates one enqueue body for the caller; every problem is reported with its field path. Job
 * types not open to the caller (role, development types off) are unknown types, exactly like
 * names that do not exist.
 */
export async function checkEnqueue(
  db: Db,
  principal: Principal & { kind: "token" },
  audience: JobTypeAudience,
  body: unknown,
  prefix: string,
  /** Set when `body` is a sub-job: it inherits org, user and group, and carries no key or parentId. */
  child = false,
): Promise<Checked> {
  const at = (path: string) => (prefix === "" ? path : path === "" ? prefix : `${prefix}.${path}`);
  const parsed = enqueueBodySchema.safeParse(body);
  if (!parsed.success) return { ok: false, issues: toFieldIssues(parsed.error, prefix) };
  const b = parsed.data;
  const inherited = child ? INHERITED_FIELDS.find((field) => b[field] !== undefined) : undefined;
  if (inherited !== undefined)
    return { ok: false, issues: [{ path: at(inherited), message: "a sub-job takes this from its parent" }] };
  const children = await Promise.all(
    (b.children ?? []).map((c, i) => checkEnqueue(db, principal, audience, c, at(`children.${String(i)}`), true)),
  );
  const childIssues = children.flatMap((c) => (c.ok ? [] : c.issues));
  if (childIssues.length > 0)
    return { ok: false, issues: childIssues, forbidden: children.some((c) => !c.ok && c.forbidden === true) };
  const checkedChildren = children.flatMap((c) => (c.ok ? [c.checked] : []));
  const kind = resolveJobKind(b.type, b.subtype, audience);
  if (!kind.ok) return { ok: false, issues: [{ path: at(kind.field), message: kind.message }] };
  const input = kind.kind.spec.input.safeParse(b.input);
  if (!input.success) return { ok: false, issues: toFieldIssues(input.error, at("input")) };
  const items = kind.kind.spec.itemsOf?.(input.data) ?? 0;
  const maxItems = kind.kind.definition.limits.maxItems;
  if (items > maxItems) {
    return {
      ok: false,
      issues: [
        { path: at("input"), message: `asks for ${items} items; a ${kind.kind.type} job may have at most ${maxItems}` },
      ],
    };
  }

  if (principal.role !== "service" && (b.orgId !== undefined || b.userId !== undefined)) {
    const field = b.orgId !== undefined ? "orgId" : "userId";
    return {
      ok: false,
      forbidden: true,
      issues: [{ path: at(field), message: "only service tokens may enqueue for another org or user" }],
    };
  }
  const orgId = b.orgId ?? principal.orgId;
  // Tokens cannot name the system org (claims refuse it); a service cannot enqueue into it either,
  // so the housekeeper's jobs and idempotency keys stay out of every tenant's reach.
  if (orgId === SYSTEM_ORG_ID) {
    return { ok: false, forbidden: true, issues: [{ path: at("orgId"), message: "this org id is reserved" }] };
  }
  const userId = principal.role === "service" ? (b.userId ?? null) : principal.userId;
  if (b.parentId !== undefined) {
    const parent = await findJobOwnership(db, b.parentId);
    if (!parent || !canAccessJob(principal, parent) || parent.orgId !== orgId) {
      return { ok: false, issues: [{ path: at("parentId"), message: "no such job" }] };
    }
  }
  const runAt =
    b.runAt !== undefined
      ? new Date(b.runAt)
      : b.delayMs !== undefined && b.delayMs > 0
        ? new Date(Date.now() + b.delayMs)
        : null;
  const name = b.name ?? `${kind.kind.type}/${kind.kind.subtype}`;
  // The request as the caller meant it (defaults applied, delay as sent, not as a moving runAt).
  const job = {
    orgId,
    userId,
    type: kind.kind.type,
    subtype: kind.kind.subtype,
    name,
    input: input.data,
    priority: b.priority,
    maxAttempts: b.maxAttempts,
    backoff: b.backoff,
    timeoutMs: b.timeoutMs,
  };
  const requestHash = hashEnqueueRequest({
    ...job,
    runAt: b.runAt === undefined ? undefined : new Date(b.runAt).toISOString(),
    delayMs: b.delayMs,
    parentId: b.parentId,
    groupId: b.groupId,
    metadata: b.metadata,
    expiresInSeconds: b.expiresInSeconds,
    onChildFailure: b.onChildFailure,
    children: checkedChildren.length > 0 ? checkedChildren.map((c) => c.request.requestHash) : undefined,
  });
  return {
    ok: true,
    checked: {
      prefix,
      items: items + checkedChildren.reduce((sum, c) => sum + c.items, 0),
      jobs: 1 + checkedChildren.reduce((sum, c) => sum + c.jobs, 0),
      request: {
        ...job,
        runAt,
        idempotencyKey: b.idempotencyKey ?? null,
        requestHash,
        parentId: b.parentId ?? null,
        groupId: b.groupId ?? null,
        metadata: b.metadata,
        expiresInSeconds: b.expiresInSeconds,
        ...(checkedChildren.length > 0
          ? { children: checkedChildren.map((c) => c.request), onChildFailure: b.onChildFailure ?? "fail" }
          : {}),
      },
    },
  };
}

/**
 * On a Redis Cluster, refuses (400 `flow_crosses_slots`, naming each offending sub-job's `type`) the
 * flows whose jobs' queues are in different hash slots: BullMQ cannot add them as one flow there.
 * On one server every flow passes.
 */
export function refuseCrossSlotFlows(keys: Keys, checked: readonly CheckedRequest[]): void {
  const issues = checked.flatMap((c) => {
    const found = findCrossSlot(keys, c.request);
    return found === null
      ? []
      : [{ path: c.prefix === "" ? found.path : `${c.prefix}.${found.path}`, message: found.message }];
  });
  const [first] = issues;
  if (first === undefined) return;
  const message = issues.length === 1 ? first.message : "flows cross Redis Cluster hash slots; nothing was enqueued";
  throw new ApiError("flow_crosses_slots", message, issues);
}
