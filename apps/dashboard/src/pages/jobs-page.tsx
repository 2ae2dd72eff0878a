import { useMemo } from "react";
import type { JobStatus } from "@jobstream/client";
import { useJobs, useJobstreamClient, type JobsFilter } from "@jobstream/react";
import { queryString } from "../api/client";
import { JOB_COLUMNS, jobRow, jobsListView } from "../components/job-rows";
import { ListShell } from "../components/list-shell";
import { useApp } from "../context";
import { roleAccess } from "../role-access";
import { navigate } from "../router";
import { useLoad } from "../use-load";
import { BulkActions } from "./bulk-actions";
import { JobFilters, filtersFrom, metadataObject, type Filters } from "./job-filters";

/** The URL's filters as the list asks the API for them (an unknown status is the API's to refuse). */
function listFilter(filters: Filters): JobsFilter {
  const { status, metadata, ...rest } = filters;
  const contains = metadata === undefined ? undefined : metadataObject(metadata);
  return {
    ...rest,
    ...(status === undefined ? {} : { status: status as JobStatus }),
    ...(contains === undefined ? {} : { metadata: contains }),
  };
}

/**
 * The filter a bulk action may act on: none when the list is unfiltered, or when the address's
 * metadata filter is left out for not being JSON (the action would match more than the reader asked).
 */
function bulkFilter(filters: Filters): JobsFilter | undefined {
  if (Object.keys(filters).length === 0) return undefined;
  if (filters.metadata !== undefined && metadataObject(filters.metadata) === undefined) return undefined;
  return listFilter(filters);
}

/** Every job the caller may see, newest first, filtered; rows update live (`useJobs`). */
export function JobsPage({ search }: { search: URLSearchParams }) {
  const jobstream = useJobstreamClient();
  const { session } = useApp();
  const filters = filtersFrom(search);
  const key = queryString(filters);
  // One object per filter, not per render: the bulk dialog counts its matches once.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` is `filters` as text
  const forBulk = useMemo(() => bulkFilter(filters), [key]);
  const types = useLoad("types", (signal) => jobstream.jobTypes({ signal }));
  // New jobs are offered with a button rather than shifting the list under the reader.
  const jobs = useJobs(listFilter(filters), { newJobs: "announce", pageSize: 50 });
  const newJobs = jobs.incoming.length;

  const applyFilters = (next: Filters) => {
    navigate(`/jobs${queryString(next)}`, { replace: true });
  };

  return (
    <section aria-labelledby="jobs-heading">
      <h1 id="jobs-heading">Jobs</h1>
      <JobFilters
        key={key}
        filters={filters}
        types={types.load.state === "ready" ? types.load.data.jobTypes.map((t) => t.type) : []}
        onApply={applyFilters}
        onOpenJob={(id) => {
          navigate(`/jobs/${id}`);
        }}
      />
      {filters.metadata !== undefined && metadataObject(filters.metadata) === undefined && (
        <p className="error-box" role="alert">
          The address's metadata filter is not a JSON object; it is left out.
        </p>
      )}
      {roleAccess(session.role).bulkActions && <BulkActions filter={forBulk} onFinished={jobs.reload} />}
      {newJobs > 0 && (
        <button type="button" className="banner" onClick={jobs.showIncoming}>
          {newJobs} new {newJobs === 1 ? "job" : "jobs"} — show
        </button>
      )}
      <ListShell
        list={jobsListView(jobs)}
        what="jobs"
        empty="No jobs match these filters."
        columns={JOB_COLUMNS}
        row={jobRow}
      />
    </section>
  );
}
