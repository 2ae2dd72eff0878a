import type { JobStatus } from "@jobstream/client";
import { useJobs, useJobstreamClient, type JobsFilter } from "@jobstream/react";
import { queryString } from "../api/client";
import { JOB_COLUMNS, jobRow, jobsListView } from "../components/job-rows";
import { ListShell } from "../components/list-shell";
import { navigate } from "../router";
import { useLoad } from "../use-load";
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

/** Every job the caller may see, newest first, filtered; rows update live (`useJobs`). */
export function JobsPage({ search }: { search: URLSearchParams }) {
  const jobstream = useJobstreamClient();
  const filters = filtersFrom(search);
  const key = queryString(filters);
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
      {/* Bulk actions on the current filter (`POST /v1/jobs/bulk` with `listFilter(filters)`) go here. */}
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
