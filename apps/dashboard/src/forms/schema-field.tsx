import { Options } from "../components/choices";
import type { SchemaField } from "./schema-fields";

/** A field's error under it, tied to its control by `aria-describedby`. */
export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  if (error === undefined) return null;
  return (
    <p id={id} className="field-error" role="alert">
      {error}
    </p>
  );
}

/** One input field generated from its schema property, labelled, with its error beside it. */
export function SchemaFieldInput({
  field,
  value,
  error,
  idPrefix,
  label: givenLabel,
  onChange,
}: {
  field: SchemaField;
  /** Instead of the property's name (and its notes). */
  label?: string;
  value: string | boolean;
  error: string | undefined;
  idPrefix: string;
  onChange: (value: string | boolean) => void;
}) {
  const id = `${idPrefix}-${field.name}`;
  const errorId = `${id}-error`;
  const common = {
    id,
    name: field.name,
    "aria-invalid": error === undefined ? undefined : true,
    "aria-describedby": error === undefined ? undefined : errorId,
  };
  const text = typeof value === "string" ? value : "";
  const onText = (event: { target: { value: string } }) => {
    onChange(event.target.value);
  };
  const label =
    givenLabel ?? `${field.name}${field.required ? " (required)" : ""}${field.kind === "json" ? " (JSON)" : ""}`;
  if (field.kind === "boolean")
    return (
      <div className="field check">
        <input
          type="checkbox"
          {...common}
          checked={value === true}
          onChange={(event) => {
            onChange(event.target.checked);
          }}
        />
        <label htmlFor={id}>{field.name}</label>
        <FieldError id={errorId} error={error} />
      </div>
    );
  let control;
  if (field.kind === "choice")
    control = (
      <select {...common} value={text} onChange={onText}>
        {!field.required && <option value="">(default)</option>}
        {/* Escaped, so a tab delimiter reads \t rather than as blank. */}
        <Options values={field.options} text={(o) => JSON.stringify(o).slice(1, -1)} />
      </select>
    );
  else if (field.kind === "number")
    control = (
      <input
        type="number"
        {...common}
        value={text}
        step={field.integer ? 1 : "any"}
        min={field.min}
        max={field.max}
        onChange={onText}
      />
    );
  else if (field.kind === "json" || field.long)
    control = (
      <textarea {...common} rows={field.kind === "json" ? 4 : 6} spellCheck={false} value={text} onChange={onText} />
    );
  else control = <input type="text" {...common} value={text} onChange={onText} />;
  return (
    <div className={field.kind === "json" || (field.kind === "text" && field.long) ? "field wide" : "field"}>
      <label htmlFor={id}>{label}</label>
      {control}
      <FieldError id={errorId} error={error} />
    </div>
  );
}
