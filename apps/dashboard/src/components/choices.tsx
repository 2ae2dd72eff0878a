/** A filter's `<option>`s: the empty value first (no filter, shown as `anyLabel`), then one per value. */
export function Choices({ values, anyLabel }: { values: readonly string[]; anyLabel: string }) {
  return (
    <>
      <option value="">{anyLabel}</option>
      {values.map((value) => (
        <option key={value} value={value}>
          {value}
        </option>
      ))}
    </>
  );
}
