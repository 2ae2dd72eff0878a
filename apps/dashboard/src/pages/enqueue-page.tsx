import { useId, useMemo, useState, type SyntheticEvent } from "react";
import { JobstreamError, type JobSubtypeDescription, type JobTypeDescription, type JsonValue } from "@jobstream/client";
import { useJobstreamClient } from "@jobstream/react";
import { queryString } from "../api/client";
import { Options, SelectField } from "../components/choices";
import { ErrorBox, LoadStatus } from "../components/states";
import { FieldError, SchemaFieldInput } from "../forms/schema-field";
import {
  fieldsOf,
  inputFrom,
  issuesByField,
  valuesFrom,
  type FormValues,
  type SchemaField,
} from "../forms/schema-fields";
import { navigate } from "../router";
import { useLoad } from "../use-load";

/** The job's own fields beside its input: the API's issues name them `name`, `metadata…`. */
const JOB_FIELDS: readonly { field: SchemaField; label: string }[] = [
  { field: { name: "name", required: false, kind: "text", long: false }, label: "Name (optional)" },
  { field: { name: "metadata", required: false, kind: "json" }, label: "Metadata (JSON object, optional)" },
];

/** The form of one subtype: its input fields (prefilled from an example), a name and metadata. */
function JobForm({ type, subtype }: { type: string; subtype: JobSubtypeDescription }) {
  const jobstream = useJobstreamClient();
  const id = useId();
  const fields = useMemo(() => fieldsOf(subtype.inputSchema), [subtype]);
  const [example, setExample] = useState(subtype.examples.length > 0 ? "0" : "");
  const [values, setValues] = useState<FormValues>(() => valuesFrom(fields, subtype.examples[0]));
  const [name, setName] = useState("");
  const [metadata, setMetadata] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);

  const pickExample = (index: string) => {
    setExample(index);
    setValues(valuesFrom(fields, index === "" ? {} : subtype.examples[Number(index)]));
    setErrors({});
  };
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setFailure(null);
    const read = inputFrom(fields, values);
    let meta: Record<string, JsonValue> | undefined;
    const local: Record<string, string> = "errors" in read ? { ...read.errors } : {};
    if (metadata.trim() !== "") {
      try {
        const parsed = JSON.parse(metadata) as JsonValue;
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) meta = parsed;
        else local["@metadata"] = "must be a JSON object";
      } catch {
        local["@metadata"] = "must be a JSON object";
      }
    }
    setErrors(local);
    if ("errors" in read || Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      const answer = await jobstream.jobs.enqueueUnchecked({
        type,
        subtype: subtype.subtype,
        input: read.input,
        ...(name.trim() === "" ? {} : { name: name.trim() }),
        ...(meta === undefined ? {} : { metadata: meta }),
      });
      navigate(`/jobs/${answer.job.id}`);
    } catch (e) {
      // The API's field issues go beside their fields; the rest is said above the button.
      if (e instanceof JobstreamError && e.fieldIssues.length > 0) setErrors(issuesByField(e.fieldIssues));
      setFailure(e instanceof Error ? e : new Error(String(e)));
      setBusy(false);
    }
  };
  return (
    <form
      className="enqueue-form"
      aria-label={`New ${type}/${subtype.subtype} job`}
      noValidate
      onSubmit={(e) => void submit(e)}
    >
      <p className="muted">{subtype.description}</p>
      {subtype.examples.length > 0 && (
        <div className="field">
          <label htmlFor={`${id}-example`}>Prefill from</label>
          <select
            id={`${id}-example`}
            value={example}
            onChange={(event) => {
              pickExample(event.target.value);
            }}
          >
            <option value="">empty form</option>
            {subtype.examples.map((_, i) => (
              <option key={i} value={String(i)}>
                example {i + 1}
              </option>
            ))}
          </select>
        </div>
      )}
      <fieldset>
        <legend>Input</legend>
        <FieldError id={`${id}-input-error`} error={errors["@input"]} />
        {fields.map((field) => (
          <SchemaFieldInput
            key={field.name}
            field={field}
            idPrefix={`${id}-input`}
            value={values[field.name] ?? ""}
            error={errors[field.name]}
            onChange={(value) => {
              setValues({ ...values, [field.name]: value });
            }}
          />
        ))}
      </fieldset>
      <fieldset>
        <legend>Job</legend>
        {JOB_FIELDS.map(({ field, label }) => (
          <SchemaFieldInput
            key={field.name}
            field={field}
            label={label}
            idPrefix={`${id}-job`}
            value={field.name === "name" ? name : metadata}
            error={errors[`@${field.name}`]}
            onChange={(value) => {
              (field.name === "name" ? setName : setMetadata)(String(value));
            }}
          />
        ))}
      </fieldset>
      {failure !== null && <ErrorBox error={failure} />}
      <button type="submit" disabled={busy}>
        {busy ? "Enqueueing…" : "Enqueue job"}
      </button>
    </form>
  );
}

/** Type and subtype of the new job, kept in the URL (`/enqueue?type=import&subtype=csv`). */
function TypePicker({ types, type, subtype }: { types: readonly JobTypeDescription[]; type: string; subtype: string }) {
  const go = (next: { type: string; subtype?: string }) => {
    navigate(`/enqueue${queryString(next)}`, { replace: true });
  };
  const chosen = types.find((t) => t.type === type);
  return (
    <div className="filters">
      <SelectField
        id="enqueue-type"
        label="Type"
        value={type}
        onChange={(value) => {
          go({ type: value });
        }}
      >
        <Options values={types.map((t) => t.type)} />
      </SelectField>
      <SelectField
        id="enqueue-subtype"
        label="Subtype"
        value={subtype}
        onChange={(value) => {
          go({ type, subtype: value });
        }}
      >
        <Options values={(chosen?.subtypes ?? []).map((s) => s.subtype)} />
      </SelectField>
    </div>
  );
}

/** A new job from a form generated from its type's JSON Schema (only types the caller may enqueue). */
export function EnqueuePage({ search }: { search: URLSearchParams }) {
  const jobstream = useJobstreamClient();
  const { load, reload } = useLoad("types", (signal) => jobstream.jobTypes({ signal }));
  const types = load.state === "ready" ? load.data.jobTypes : [];
  const type = types.find((t) => t.type === search.get("type")) ?? types[0];
  const subtype =
    type?.subtypes.find((s) => s.subtype === search.get("subtype")) ??
    type?.subtypes.find((s) => s.subtype === type.defaultSubtype) ??
    type?.subtypes[0];
  return (
    <section aria-labelledby="enqueue-heading">
      <h1 id="enqueue-heading">Enqueue a job</h1>
      <LoadStatus load={load} what="job types" onRetry={reload} />
      {type !== undefined && subtype !== undefined && (
        <>
          <TypePicker types={types} type={type.type} subtype={subtype.subtype} />
          <JobForm key={`${type.type}/${subtype.subtype}`} type={type.type} subtype={subtype} />
        </>
      )}
    </section>
  );
}
