import type { ReactNode } from "react";

/** One `<option>` per value, each showing its value (or what `text` makes of it). */
export function Options({ values, text = (v) => v }: { values: readonly string[]; text?: (value: string) => string }) {
  return (
    <>
      {values.map((value) => (
        <option key={value} value={value}>
          {text(value)}
        </option>
      ))}
    </>
  );
}

/** A filter's `<option>`s: the empty value first (no filter, shown as `anyLabel`), then one per value. */
export function Choices({ values, anyLabel }: { values: readonly string[]; anyLabel: string }) {
  return (
    <>
      <option value="">{anyLabel}</option>
      <Options values={values} />
    </>
  );
}

/** A labelled `<select>` in a form's grid of fields. */
export function SelectField({
  id,
  label,
  value,
  onChange,
  children,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The `<option>`s (`Options`, `Choices`). */
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      >
        {children}
      </select>
    </div>
  );
}
