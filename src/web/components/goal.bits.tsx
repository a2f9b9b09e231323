/** Progress bar with its expected-by-today marker, and the status badge, shared by overview and tree. */
import { STATUS_COLORS } from '../charts/options.js';

const STATUS_TEXT: Record<string, string> = {
  on_track: 'On track',
  at_risk: 'At risk',
  off_track: 'Off track',
  done: 'Done',
  not_started: 'Not started',
};

export function StatusBadge({ status }: { status: string | null }) {
  if (!status) return <span class="badge">–</span>;
  return (
    <span class={`badge st-${status}`} style={{ borderColor: STATUS_COLORS[status] }}>
      {STATUS_TEXT[status] ?? status}
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
  const p = Math.max(0, Math.min(1, progress ?? 0));
  const pct = Math.round((progress ?? 0) * 100);
  return (
    <div
      class="bar"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={progress === null ? undefined : pct}
      aria-label={`Progress ${progress === null ? 'unknown' : `${pct} %`}${expected == null ? '' : `, expected ${Math.round(expected * 100)} % by today`}`}
      title={`${progress === null ? '–' : `${pct} %`}${expected == null ? '' : ` · expected by today ${Math.round(expected * 100)} %`}`}
    >
      <span
        class="fill"
        style={{ width: `${p * 100}%`, background: STATUS_COLORS[status ?? ''] ?? '#8a93a6' }}
      />
      {expected == null ? null : <span class="marker" style={{ left: `${expected * 100}%` }} />}
    </div>
  );
}
