/**
 * One objective: its numbers, a chart of actual vs expected vs forecast (each point the goals API as of
 * that date), its check-ins, and for editors a form to add one.
 */
import { useMemo, useState } from 'preact/hooks';
import { Chart } from '../charts/chart.js';
import { expectedMarker, type ObjectivePoint, objectiveOption, sampleDates } from '../charts/options.js';
import { ProgressBar, StatusBadge } from '../components/goal.bits.js';
import { ObjectiveEditor } from '../components/objective.edit.js';
import { Empty, ErrorBox, Loaded } from '../components/states.js';
import { api } from '../lib/api.js';
import { useCatalog } from '../lib/catalog.js';
import { useApp } from '../lib/context.js';
import { formatDay, formatInstant, formatValue } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { clearCache, useApi } from '../lib/query.js';
import type { Checkin, GoalsAnswer } from '../lib/types.js';

const POINTS = 7;

function CheckinForm({ id, done }: { id: string; done: () => void }) {
  const [note, setNote] = useState('');
  const [confidence, setConfidence] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api(`/api/v1/goals/${encodeURIComponent(id)}/checkins`, {
        method: 'POST',
        body: { note, ...(confidence === '' ? {} : { confidence: Number(confidence) / 100 }) },
      });
      setNote('');
      setConfidence('');
      clearCache();
      done();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="stack" onSubmit={submit} aria-label={t('checkin.form')}>
      <label>
        {t('checkin.note')}
        <textarea required rows={3} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </label>
      <label>
        {t('checkin.confidence')}
        <input
          type="number"
          min={0}
          max={100}
          value={confidence}
          onInput={(e) => setConfidence(e.currentTarget.value)}
        />
      </label>
      {error ? <ErrorBox error={error} /> : null}
      <div>
        <button type="submit" disabled={busy || !note.trim()}>
          {t('checkin.add')}
        </button>
      </div>
    </form>
  );
}

export function ObjectiveDetail({ id, report }: { id: string; report: GoalsAnswer }) {
  const { me, fmt, tz } = useApp();
  const cat = useCatalog();
  const o = report.objectives.find((x) => x.id === id);
  const end = o ? (report.as_of < o.due ? report.as_of : o.due) : report.as_of;
  const dates = o && o.start <= end ? sampleDates(o.start, end, POINTS).slice(0, -1) : [];
  const history = Array.from({ length: POINTS - 1 }, (_, i) =>
    useApi<GoalsAnswer>(dates[i] ? '/api/v1/goals' : null, { as_of: dates[i] }, me.workspace.slug),
  ).slice(0, dates.length);
  const checkins = useApi<{ checkins: Checkin[] }>(
    o ? `/api/v1/goals/${encodeURIComponent(id)}/checkins` : null,
    {},
    me.workspace.slug,
  );
  const points: ObjectivePoint[] = useMemo(() => {
    if (!o) return [];
    const at = (a: GoalsAnswer | null, d: string): ObjectivePoint | null => {
      const x = a?.objectives.find((y) => y.id === id);
      return x ? { date: d, actual: x.actual, expected: x.expected, forecast: x.forecast } : null;
    };
    return [...history.map((h, i) => at(h.data, dates[i] ?? '')), at(report, end)].filter(
      (p): p is ObjectivePoint => p !== null,
    );
  }, [o, report, ...history.map((h) => h.data)]);
  const option = useMemo(
    () => (o ? objectiveOption(points, { target: o.target, due: o.due, unit: o.unit }, fmt) : null),
    [points, o, fmt],
  );
  if (!o) return <Empty>{t('objective.missing', { id })}</Empty>;
  const editor = me.role === 'editor' || me.role === 'admin';
  const v = (x: number | null) => formatValue(x, o.unit, fmt);
  return (
    <article class="panel objective" data-objective={o.id}>
      <header class="page-head">
        <h2>{o.title}</h2>
        <StatusBadge status={o.status} />
      </header>
      <p class="muted">
        {cat.byId.get(o.kpi)?.name ?? o.kpi} · {formatDay(o.start, fmt)} – {formatDay(o.due, fmt)} ·{' '}
        {t('objective.owner', { owner: o.owner ?? '–' })} ·{' '}
        {t('objective.path', { method: t(`objective.method.${o.method}`) })}
      </p>
      <div class="tiles">
        <div class="tile">
          <div class="k">{t('objective.actual')}</div>
          <div class="v">{v(o.actual)}</div>
        </div>
        <div class="tile">
          <div class="k">{t('objective.expected')}</div>
          <div class="v">{v(o.expected)}</div>
        </div>
        <div class="tile">
          <div class="k">{t('objective.forecast')}</div>
          <div class="v">{v(o.forecast)}</div>
        </div>
        <div class="tile">
          <div class="k">{t('objective.target')}</div>
          <div class="v">{v(o.target)}</div>
        </div>
        <div class="tile">
          <div class="k">{t('objective.baseline')}</div>
          <div class="v">{v(o.baseline)}</div>
        </div>
      </div>
      <ObjectiveEditor id={o.id} onSaved={() => undefined} />
      <ProgressBar progress={o.progress} expected={expectedMarker(o, report.as_of)} status={o.status} />
      {o.note ? <p class="note">{o.note}</p> : null}
      {option && points.length ? (
        <Chart option={option} height={300} label={t('objective.chart', { title: o.title })} />
      ) : (
        <Empty>{t('objective.notStarted', { date: formatDay(o.start, fmt) })}</Empty>
      )}
      <h3>{t('checkin.title')}</h3>
      {editor ? <CheckinForm id={o.id} done={checkins.reload} /> : null}
      <Loaded q={checkins} what={t('checkin.title')}>
        {(c) =>
          c.checkins.length === 0 ? (
            <Empty>{t('checkin.none')}</Empty>
          ) : (
            <ul class="checkins">
              {c.checkins.map((x) => (
                <li key={`${x.at}-${x.author}`}>
                  <span class="muted">
                    {formatInstant(x.at, fmt, tz)} · {x.author}
                    {x.confidence === null
                      ? ''
                      : ` · ${t('checkin.confidenceValue', { value: formatValue(x.confidence, 'ratio', fmt) })}`}
                  </span>
                  <div>{x.note}</div>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </article>
  );
}
