import { useId, useState, type InputHTMLAttributes, type ReactNode, type SyntheticEvent } from "react";
import { jobStatuses } from "@jobstream/client";
import { Choices } from "../components/choices";

/** The filters of the jobs list, as the URL's query keeps them. */
export const FILTER_KEYS = ["q", "type", "subtype", "status", "userId", "groupId", "scheduleId", "metadata"] as const;
export type Filters = Partial<Record<(typeof FILTER_KEYS)[number], string>>;

export function filtersFrom(search: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const key of FILTER_KEYS) {
    const value = search.get(key);
    if (value !== null && value !== "") filters[key] = value;
  }
  return filters;
}

/** The metadata filter's text as the JSON object it must be, or undefined. */
export function metadataObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
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
  const [metadataError, setMetadataError] = useState(false);
  const id = useId();
  const field = (key: keyof Filters) => ({
    id: `${id}-${key}`,
    name: key,
    value: draft[key] ?? "",
    onChange: (event: { target: { value: string } }) => {
      setDraft({ ...draft, [key]: event.target.value });
    },
  });
  // Each filter as a labelled control: the label names the control by the id `field` gives it.
  const labelled = (key: keyof Filters, label: string, control: ReactNode, wide = false) => (
    <div className={wide ? "field wide" : "field"}>
      <label htmlFor={`${id}-${key}`}>{label}</label>
      {control}
    </div>
  );
  const text = (key: keyof Filters, label: string, extra: InputHTMLAttributes<HTMLInputElement> = {}, wide = false) =>
    labelled(key, label, <input type="text" {...extra} {...field(key)} />, wide);
  const choice = (key: keyof Filters, label: string, values: readonly string[]) =>
    labelled(
      key,
      label,
      <select {...field(key)}>
        <Choices values={values} anyLabel="any" />
      </select>,
    );
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const search = draft.q?.trim() ?? "";
    if (UUID.test(search)) {
      onOpenJob(search.toLowerCase());
      return;
    }
    const metadata = draft.metadata?.trim() ?? "";
    setMetadataError(metadata !== "" && metadataObject(metadata) === undefined);
    if (metadata !== "" && metadataObject(metadata) === undefined) return;
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
      {text("q", "Search name or job id", { type: "search", placeholder: "e.g. nightly import, or a job id" }, true)}
      {choice("type", "Type", types)}
      {text("subtype", "Subtype")}
      {choice("status", "Status", jobStatuses)}
      {text("userId", "User id", { spellCheck: false })}
      {text("groupId", "Group")}
      {text(
        "metadata",
        "Metadata contains (JSON)",
        {
          spellCheck: false,
          placeholder: '{"customer": "acme"}',
          "aria-invalid": metadataError || undefined,
          "aria-describedby": metadataError ? `${id}-metadata-error` : undefined,
        },
        true,
      )}
      {metadataError && (
        <p id={`${id}-metadata-error`} className="field-error wide" role="alert">
          Metadata must be a JSON object, e.g. {'{"customer": "acme"}'}.
        </p>
      )}
      <div className="actions">
        <button type="submit">Apply</button>
        <button type="button" className="secondary" onClick={clear}>
          Clear
        </button>
      </div>
    </form>
  );
}
