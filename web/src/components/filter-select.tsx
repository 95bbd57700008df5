/** One choice of a FilterSelect: the value itself as its text, or a value with its own text. */
export type FilterOption = string | { readonly value: string; readonly text: string };

/**
 * The one filter dropdown of the dashboard (guest table, tasks, cluster log): first "<label>: all"
 * (value ''), then the options. The select is named by `label` through aria-label, because the
 * visible text is the chosen option; the `filter` wrapper is what the toolbars lay out (two per
 * row on the phone). `testId` goes on the select, where the e2e tests pick options. `name` is the
 * accessible name when `label` alone would repeat another filter's on the same page ("Task node",
 * "Log node"); it defaults to `label`.
 */
export function FilterSelect({
  label,
  value,
  options,
  onChange,
  testId,
  name = label,
}: {
  label: string;
  name?: string;
  value: string;
  options: readonly FilterOption[];
  onChange: (value: string) => void;
  testId: string;
}) {
  return (
    <label className="filter">
      <span className="visually-hidden">{name}</span>
      <select value={value} onChange={(event) => onChange(event.target.value)} data-testid={testId} aria-label={name}>
        <option value="">{label}: all</option>
        {options.map((option) => {
          const { value: optionValue, text } = typeof option === 'string' ? { value: option, text: option } : option;
          return (
            <option key={optionValue} value={optionValue}>
              {text}
            </option>
          );
        })}
      </select>
    </label>
  );
}
