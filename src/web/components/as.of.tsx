/**
 * "As of 14:02: newer data is being counted" under a page's figures when the server answered from
 * before tracking data arrived (its answer says `stale` and `computed_at`) while it refreshes them; the
 * page's live refresh then brings the new figures.
 */
import { useApp } from '../lib/context.js';
import { formatInstant } from '../lib/format.js';
import { t } from '../lib/i18n.js';

export function AsOf({ answer }: { answer: { stale?: boolean; computed_at?: string } | null }) {
  const { tz, fmt } = useApp();
  if (!answer?.stale || !answer.computed_at) return null;
  return (
    <p class="muted as-of" role="status">
      {t('state.asOf', { time: formatInstant(answer.computed_at, fmt, tz) })}
    </p>
  );
}
