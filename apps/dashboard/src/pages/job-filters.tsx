import { useId, useState, type SyntheticEvent } from "react";
import { jobStatuses } from "@jobstream/client";
import { Choices } from "../components/choices";

/** The filters of the jobs list, as the URL's query keeps them. */
export const FILTER_KEYS = ["q", "type", "subtype", "status", "userId", "groupId", "scheduleId"] as const;
export type Filters = Partial<Record<(typeof FILTER_KEYS)[number], string>>;

export function filtersFrom(search: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const key of FILTER_KEYS) {
    const value = search.get(key);
    if (value !== null && value !== "") filters[key] = value;
  }
  return filters;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Search and filters. A job id typed into the search box opens that job; any other text
 * searches names.
 */
export function JobFilters({
  filters,
  types,
  onApply,
  onOpenJob,
}: {
  filters: Filters;
  types: readonly string[];
  onApply: (filters: Filters) => void;
  onOpenJob: (id: string) => void;
}) {
  const [draft, setDraft] = useState<Filters>(filters);
  const id = useId();
  const field = (key: keyof Filters) => ({
    id: `${id}-${key}`,
    name: key,
    value: draft[key] ?? "",
    onChange: (event: { target: { value: string } }) => {
      setDraft({ ...draft, [key]: event.target.value });
    },
  });
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const search = draft.q?.trim() ?? "";
    if (UUID.test(search)) {
      onOpenJob(search.toLowerCase());
      return;
    }
    const cleaned: Filters = {};
    for (const key of FILTER_KEYS) {
      const value = draft[key]?.trim();
      if (value !== undefined && value !== "") cleaned[key] = value;
    }
    onApply(cleaned);
  };
  const clear = () => {
    setDraft({});
    onApply({});
  };

  return (
    <form className="filters" role="search" aria-label="Filter jobs" onSubmit={submit}>
      <div className="field wide">
        <label htmlFor={`${id}-q`}>Search name or job id</label>
        <input type="search" placeholder="e.g. nightly import, or a job id" {...field("q")} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-type`}>Type</label>
        <select {...field("type")}>
          <Choices values={types} anyLabel="any" />
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-subtype`}>Subtype</label>
        <input type="text" {...field("subtype")} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-status`}>Status</label>
        <select {...field("status")}>
          <Choices values={jobStatuses} anyLabel="any" />
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-userId`}>User id</label>
        <input type="text" spellCheck={false} {...field("userId")} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-groupId`}>Group</label>
        <input type="text" {...field("groupId")} />
      </div>
      <div className="actions">
        <button type="submit">Apply</button>
        <button type="button" className="secondary" onClick={clear}>
          Clear
        </button>
      </div>
    </form>
  );
}
