import type {
  ActiveJobs,
  BatchAnswer,
  BulkAnswer,
  BulkDryRunAnswer,
  EnqueueAnswer,
  EventList,
  ItemPage,
  JobAnswer,
  JobItemStatus,
  JobPage,
  JobStatus,
  JobSummary,
  JobTypeList,
  JobView,
} from "./generated/types.ts";
import type {
  DefaultSubtypeOf,
  EnqueueRequest,
  JobTypeName,
  SubtypeName,
  TypedEnqueueRequest,
  UncheckedEnqueueRequest,
} from "./enqueue-request.ts";
import { resolveRetry, type RetryOptions } from "./retry-policy.ts";
import { createTransport, type FetchLike, type TokenSource } from "./transport.ts";
import { createSchedulesApi, type SchedulesApi } from "./schedules.ts";
import { callsOf } from "./calls.ts";
import { streamJobs, type StreamFilter, type StreamOptions } from "./stream.ts";
import { watchJob, type WatchOptions } from "./watch.ts";
import { webhooksApi, type WebhooksApi } from "./webhooks.ts";
import { statsApi, type StatsApi } from "./stats.ts";
import { queuesApi, type QueuesApi } from "./queues.ts";
import { groupsApi, type GroupsApi } from "./groups.ts";

export interface ClientOptions {
  /** Where the API listens, e.g. `http://localhost:3000`. */
  readonly baseUrl: string;
  /** Bearer token (`pnpm token` prints a development one), or a function returning the current one. */
  readonly token: TokenSource;
  /**
   * The `fetch` to use (tests, proxies, instrumentation).
   * @defaultValue globalThis.fetch
   */
  readonly fetch?: FetchLike;
  /** Back-off for network errors, 429 and 503; `false` sends each request once. */
  readonly retry?: RetryOptions | false;
}

/** Filters of `GET /v1/jobs`. */
export interface ListFilter {
  status?: JobStatus | readonly JobStatus[];
  type?: string;
  subtype?: string;
  userId?: string;
  groupId?: string;
  parentId?: string;
  /** A schedule's runs. */
  scheduleId?: string;
  orgId?: string;
  /** ISO date-times bounding `createdAt`. */
  createdFrom?: string;
  createdTo?: string;
  /** Search in names. */
  q?: string;
  /** Jobs whose metadata contains this object (JSON containment: nested objects, array members). */
  metadata?: Readonly<Record<string, unknown>>;
  /** Jobs per page (1–500). */
  limit?: number;
  /** Lists carry job summaries; ask for `input` / `output` too (the API then caps pages lower). */
  include?: readonly ("input" | "output")[];
  /** Start after this cursor (from an earlier page's `nextCursor`). */
  cursor?: string;
}

/** The filters of a bulk action: a list's, without paging. */
export type BulkFilter = Omit<ListFilter, "limit" | "include" | "cursor">;

/** `ListFilter` as `GET /v1/jobs` (and a bulk action's `filter`) takes it: lists comma-joined, metadata as JSON. */
function listQueryOf<F extends ListFilter>(filter: F) {
  const status = typeof filter.status === "string" ? filter.status : filter.status?.join(",");
  const include = filter.include?.join(",");
  const metadata = filter.metadata === undefined ? undefined : JSON.stringify(filter.metadata);
  return { ...filter, status, include, metadata };
}

/** `POST /v1/jobs/bulk`'s body for an action on `filter`. */
function bulkBody(action: string, filter: BulkFilter, extras: { all?: true }) {
  return { action, filter: listQueryOf(filter), ...(extras.all ? { all: true } : {}) };
}

export interface ItemsFilter {
  status?: JobItemStatus;
  limit?: number;
  cursor?: string;
}

/** Which sub-jobs `jobs.children` lists, a page at a time. */
export interface ChildrenFilter {
  status?: JobStatus | readonly JobStatus[];
  limit?: number;
  cursor?: string;
}

export interface RequestExtras {
  readonly signal?: AbortSignal;
}

/** Pages of jobs; iterate it for jobs one by one, or use `.pages()`. */
export interface JobList extends AsyncIterable<JobSummary> {
  pages(): AsyncIterable<JobPage>;
}

export interface JobstreamClient {
  readonly jobs: {
    /** Enqueues one job. `created` is false when the idempotency key named an existing job. */
    enqueue<T extends JobTypeName, S extends SubtypeName<T> = DefaultSubtypeOf<T>>(
      job: TypedEnqueueRequest<T, S>,
      extras?: RequestExtras,
    ): Promise<EnqueueAnswer & { created: boolean }>;
    /** `enqueue` for a type and input known only at run time: no compile-time check, the API's only. */
    enqueueUnchecked(
      job: UncheckedEnqueueRequest,
      extras?: RequestExtras,
    ): Promise<EnqueueAnswer & { created: boolean }>;
    /** Enqueues up to 1,000 jobs at once: all or none; `groupId` puts every one of them in that group. */
    enqueueBatch(jobs: readonly EnqueueRequest[], extras?: RequestExtras & { groupId?: string }): Promise<BatchAnswer>;
    get(id: string, extras?: RequestExtras): Promise<JobView>;
    /** The caller's unfinished jobs plus those finished in the last minutes (`GET /v1/jobs/active`). */
    active(extras?: RequestExtras): Promise<ActiveJobs>;
    /** Every job matching `filter`, following `nextCursor` page after page. */
    list(filter?: ListFilter): JobList;
    /** Asks the job to stop; a running one stops when its handler notices. */
    cancel(id: string, extras?: RequestExtras): Promise<JobView>;
    /** Runs a failed or cancelled job again. */
    retry(id: string, extras?: RequestExtras): Promise<JobView>;
    /**
     * Cancels, retries or deletes every job `filter` matches (admins: their org's; services and
     * operators: any org's). Runs as a bulk job: follow `bulk.id` with `get` or `watch`. An empty
     * filter needs `{ all: true }`.
     */
    bulk(
      action: "cancel" | "retry" | "delete",
      filter: BulkFilter,
      extras?: RequestExtras & { all?: true },
    ): Promise<BulkAnswer["bulk"]>;
    /** How many jobs `bulk(action, filter)` would match now, acting on none (a dry run: what to confirm). */
    bulkDryRun(
      action: "cancel" | "retry" | "delete",
      filter: BulkFilter,
      extras?: RequestExtras & { all?: true },
    ): Promise<BulkDryRunAnswer>;
    /** One page of the job's item outcomes. */
    items(id: string, filter?: ItemsFilter, extras?: RequestExtras): Promise<ItemPage>;
    /** The job's event timeline. */
    events(id: string, extras?: RequestExtras): Promise<EventList>;
    /** One page of the job's sub-jobs (newest first); the job's own view counts them by status. */
    children(id: string, filter?: ChildrenFilter, extras?: RequestExtras): Promise<JobPage>;
    /** The job's view on every change, until it is final (resumes across dropped connections). */
    watch(id: string, options?: WatchOptions): AsyncIterable<JobView>;
  };
  /** Recurring jobs: each tick enqueues the schedule's job (runs carry `scheduleId`). */
  readonly schedules: SchedulesApi;
  /** Summaries of every job the caller may see, live: the active ones, then each change (`GET /v1/stream`). */
  stream(filter?: StreamFilter, options?: StreamOptions): AsyncIterable<JobSummary>;
  /** Every registered job type with JSON Schemas of its input, output and items. */
  jobTypes(extras?: RequestExtras): Promise<JobTypeList>;
  /** Completion webhooks of the caller's org (admins, services, operators). */
  readonly webhooks: WebhooksApi;
  /** Monitoring reads: the time series of created and finished jobs (admins, services, operators). */
  readonly stats: StatsApi;
  /** The queues every org shares: depths and paused state (operators, services); pause and resume (operators). */
  readonly queues: QueuesApi;
  /** Groups of jobs (a `groupId` given at enqueue): counts, progress, their stream, group cancel and retry. */
  readonly groups: GroupsApi;
}

function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}

function jobPath(id: string, suffix = ""): string {
  return `v1/jobs/${encodeURIComponent(id)}${suffix}`;
}

/** A client for one Jobstream API and token. Uses only `fetch`: Node 20+, browsers, Deno, Bun. */
export function createClient(options: ClientOptions): JobstreamClient {
  const transport = createTransport({
    baseUrl: options.baseUrl,
    token: options.token,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    retry: resolveRetry(options.retry),
  });
  const { read, send } = callsOf(transport);
  const act = (path: string, signal?: AbortSignal) => send("POST", path, { resend: false, signal });

  const list = (filter: ListFilter = {}): JobList => {
    const pages = async function* (): AsyncGenerator<JobPage> {
      let cursor = filter.cursor;
      for (;;) {
        const page = (await read("v1/jobs", { ...listQueryOf(filter), cursor })) as JobPage;
        yield page;
        if (page.nextCursor === null || page.jobs.length === 0) return;
        cursor = page.nextCursor;
      }
    };
    return {
      pages,
      async *[Symbol.asyncIterator]() {
        for await (const page of pages()) yield* page.jobs;
      },
    };
  };

  const enqueue = async (job: UncheckedEnqueueRequest, extras: RequestExtras = {}) => {
    const body = { ...job, idempotencyKey: job.idempotencyKey ?? newIdempotencyKey() };
    let created = true;
    const answer = (await transport.request("POST", "v1/jobs", {
      body,
      retryNetworkErrors: true,
      signal: extras.signal,
      onStatus: (status) => {
        created = status === 202;
      },
    })) as EnqueueAnswer;
    return { ...answer, created };
  };

  return {
    jobs: {
      enqueue,
      enqueueUnchecked: enqueue,
      async enqueueBatch(jobs, extras = {}) {
        const body = {
          jobs: jobs.map((job) => ({ ...job, idempotencyKey: job.idempotencyKey ?? newIdempotencyKey() })),
          ...(extras.groupId === undefined ? {} : { groupId: extras.groupId }),
        };
        return (await send("POST", "v1/jobs/batch", { body, resend: true, signal: extras.signal })) as BatchAnswer;
      },
      async get(id, extras = {}) {
        return (await read(jobPath(id), undefined, extras.signal)) as JobView;
      },
      async active(extras = {}) {
        return (await read("v1/jobs/active", undefined, extras.signal)) as ActiveJobs;
      },
      list,
      async cancel(id, extras = {}) {
        return ((await act(jobPath(id, "/cancel"), extras.signal)) as JobAnswer).job;
      },
      async retry(id, extras = {}) {
        return ((await act(jobPath(id, "/retry"), extras.signal)) as JobAnswer).job;
      },
      async bulk(action, filter, extras = {}) {
        // Not resent after a network error: a second request would start a second bulk job.
        return (
          (await send("POST", "v1/jobs/bulk", {
            body: bulkBody(action, filter, extras),
            resend: false,
            signal: extras.signal,
          })) as BulkAnswer
        ).bulk;
      },
      async bulkDryRun(action, filter, extras = {}) {
        const body = { ...bulkBody(action, filter, extras), dryRun: true };
        return (await send("POST", "v1/jobs/bulk", { body, resend: true, signal: extras.signal })) as BulkDryRunAnswer;
      },
      async items(id, filter = {}, extras = {}) {
        return (await read(jobPath(id, "/items"), { ...filter }, extras.signal)) as ItemPage;
      },
      async events(id, extras = {}) {
        return (await read(jobPath(id, "/events"), undefined, extras.signal)) as EventList;
      },
      async children(id, filter = {}, extras = {}) {
        const { status, ...rest } = filter;
        const query = { ...rest, ...(status === undefined ? {} : { status: [status].flat().join(",") }) };
        return (await read(jobPath(id, "/children"), query, extras.signal)) as JobPage;
      },
      watch: (id, watchOptions) => watchJob(transport, id, watchOptions),
    },
    schedules: createSchedulesApi(transport),
    stream: (filter, streamOptions) => streamJobs(transport, filter, streamOptions),
    async jobTypes(extras = {}) {
      return (await read("v1/job-types", undefined, extras.signal)) as JobTypeList;
    },
    webhooks: webhooksApi(transport),
    stats: statsApi(transport),
    queues: queuesApi(transport),
    groups: groupsApi(transport),
  };
}
