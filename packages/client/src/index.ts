export { createClient } from "./create-client.ts";
export type {
  BulkFilter,
  ClientOptions,
  ItemsFilter,
  JobList,
  JobstreamClient,
  ListFilter,
  RequestExtras,
} from "./create-client.ts";
export type {
  DefaultSubtypeOf,
  EnqueueOptions,
  EnqueueRequest,
  JobInput,
  JobOutput,
  JobTypeName,
  SubtypeName,
  TypedEnqueueRequest,
  UncheckedEnqueueRequest,
} from "./enqueue-request.ts";
export {
  ConflictError,
  errorFromResponse,
  ForbiddenError,
  JobstreamError,
  NotFoundError,
  QuotaExceededError,
  RateLimitedError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
} from "./errors.ts";
export type { ScheduleChange, ScheduleFilter, ScheduleRequest, SchedulesApi } from "./schedules.ts";
export { parseRetryAfter, retryDelayMs, type RetryOptions } from "./retry-policy.ts";
export type { FetchLike, TokenSource } from "./transport.ts";
export { parseStreamEventId, type StreamFilter, type StreamOptions } from "./stream.ts";
export { isFinalJob, type WatchOptions } from "./watch.ts";
export type { PageFilter, WebhookListFilter, WebhooksApi } from "./webhooks.ts";
export type { StatsApi, TimeseriesQuery } from "./stats.ts";
export type { QueuesApi } from "./queues.ts";
export type { GroupScope, GroupsApi } from "./groups.ts";
export {
  DEV_ORG_ID,
  DEV_USER_ID,
  errorStatus,
  finalJobStatuses,
  jobItemStatuses,
  jobStatuses,
  roles,
  webhookEvents,
} from "./generated/types.ts";
export type * from "./generated/types.ts";
