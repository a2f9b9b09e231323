/** The period picker: month, quarter, year (to date), the previous ones, 12 months, or a custom range. */
import { useApp } from '../lib/context.js';
import { formatDay } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { type PeriodKind, periodRange, type Range } from '../lib/period.js';

const KINDS: PeriodKind[] = [
  'month',
  'quarter',
  'year',
  'last_month',
  'last_quarter',
  'last_year',
  '12m',
  'custom',
];

/** The range the view's period covers, in the workspace's calendar. */
export function useRange(): Range {
  const { view, today } = useApp();
  return periodRange(view.period, today, view.from, view.to);
}

export function PeriodPicker() {
  const { view, go, fmt } = useApp();
  const r = useRange();
  return (
    <fieldset class="period" aria-label={t('period.label')}>
      <select
        aria-label={t('period.label')}
        value={view.period}
        onChange={(e) => {
          const period = e.currentTarget.value as PeriodKind;
          go(period === 'custom' ? { period, from: r.from, to: r.to } : { period, from: null, to: null });
        }}
      >
        {KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`period.${k}`)}
          </option>
        ))}
      </select>
      {view.period === 'custom' ? (
        <>
          <input
            type="date"
            aria-label={t('period.from')}
            value={r.from}
            onChange={(e) => e.currentTarget.value && go({ from: e.currentTarget.value }, true)}
          />
          <input
            type="date"
            aria-label={t('period.to')}
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
