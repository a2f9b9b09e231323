/** Progress bar with its expected-by-today marker, and the status badge, shared by overview and tree. */
import { STATUS_COLORS } from '../charts/options.js';
import { useApp } from '../lib/context.js';
import { t } from '../lib/i18n.js';

const STATUSES = ['on_track', 'at_risk', 'off_track', 'done', 'not_started'] as const;
type Status = (typeof STATUSES)[number];
const isStatus = (s: string): s is Status => (STATUSES as readonly string[]).includes(s);

export function StatusBadge({ status }: { status: string | null }) {
  if (!status) return <span class="badge">–</span>;
  return (
    <span class={`badge st-${status}`} style={{ borderColor: STATUS_COLORS[status] }}>
      {isStatus(status) ? t(`status.${status}`) : status}
    </span>
  );
}

export function ProgressBar({
  progress,
  expected,
  status,
}: {
  progress: number | null;
  expected?: number | null;
  status: string | null;
}) {
  const { fmt } = useApp();
  const p = Math.max(0, Math.min(1, progress ?? 0));
  const pct = Math.round((progress ?? 0) * 100);
  // "40%", "40 %", "%40": the locale's way, rounded to whole percents like the bar itself.
  const percent = (x: number) =>
    new Intl.NumberFormat(fmt.locale, { style: 'percent', maximumFractionDigits: 0 }).format(x);
  return (
    <div
      class="bar"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={progress === null ? undefined : pct}
      aria-label={`${t('progress.label', { value: progress === null ? t('progress.unknown') : percent(progress) })}${expected == null ? '' : `, ${t('progress.expected', { value: percent(expected) })}`}`}
      title={`${progress === null ? '–' : percent(progress)}${expected == null ? '' : ` · ${t('progress.expected', { value: percent(expected) })}`}`}
    >
      <span
        class="fill"
        style={{ width: `${p * 100}%`, background: STATUS_COLORS[status ?? ''] ?? '#8a93a6' }}
      />
      {expected == null ? null : <span class="marker" style={{ left: `${expected * 100}%` }} />}
    </div>
  );
}
