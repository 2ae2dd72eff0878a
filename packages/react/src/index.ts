export { JobstreamProvider, useJobstreamClient } from "./provider.ts";
export { useJob, type JobState, type UseJobOptions } from "./use-job.ts";
export { useJobs, type JobsState, type UseJobsOptions } from "./use-jobs.ts";
export { useActiveJobs, type ActiveJobsResult, type UseActiveJobsOptions } from "./use-active-jobs.ts";
export { JobFeed, liveDefaults, type Connection, type LiveOptions } from "./job-feed.ts";
export {
  activeSummary,
  appendPage,
  applyActiveChange,
  applyChange,
  applyChanges,
  isNotOlder,
  listFromPage,
  matchesFilter,
  pruneActive,
  settleFirstPage,
  showIncoming,
  type ActiveJobsState,
  type JobListState,
  type JobsFilter,
  type NewJobs,
} from "./job-list.ts";
