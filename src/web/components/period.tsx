/** The period picker: month, quarter, year (to date), the previous ones, 12 months, or a custom range. */
import { useApp } from '../lib/context.js';
import { formatDay } from '../lib/format.js';
import { type PeriodKind, periodRange, type Range } from '../lib/period.js';

const LABELS: Record<PeriodKind, string> = {
  month: 'This month',
  quarter: 'This quarter',
  year: 'This year',
  last_month: 'Last month',
  last_quarter: 'Last quarter',
  last_year: 'Last year',
  '12m': 'Last 12 months',
  custom: 'Custom range',
};

/** The range the view's period covers, in the workspace's calendar. */
export function useRange(): Range {
  const { view, today } = useApp();
  return periodRange(view.period, today, view.from, view.to);
}

export function PeriodPicker() {
  const { view, go, fmt } = useApp();
  const r = useRange();
  return (
    <fieldset class="period" aria-label="Period">
      <select
        aria-label="Period"
        value={view.period}
        onChange={(e) => {
          const period = e.currentTarget.value as PeriodKind;
          go(period === 'custom' ? { period, from: r.from, to: r.to } : { period, from: null, to: null });
        }}
      >
        {(Object.keys(LABELS) as PeriodKind[]).map((k) => (
          <option key={k} value={k}>
            {LABELS[k]}
          </option>
        ))}
      </select>
      {view.period === 'custom' ? (
        <>
          <input
            type="date"
            aria-label="From"
            value={r.from}
            onChange={(e) => e.currentTarget.value && go({ from: e.currentTarget.value }, true)}
          />
          <input
            type="date"
            aria-label="To"
            value={r.to}
            onChange={(e) => e.currentTarget.value && go({ to: e.currentTarget.value }, true)}
          />
        </>
      ) : (
        <span class="muted range">
          {formatDay(r.from, fmt)} – {formatDay(r.to, fmt)}
        </span>
      )}
    </fieldset>
  );
}
