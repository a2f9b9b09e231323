/**
 * The objective edit form (editors): the fields a plan gives an objective, the same SMART check as
 * `goals lint` run as they type (debounced `POST /api/v1/goals/lint` with the objective under its
 * parent), each problem beside its field, and a save through `PATCH /api/v1/goals/objectives/{id}`.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { LintRow } from '../../goals/smart.js';
import type { ObjectiveAnswer } from '../../usecases/objectives.usecase.js';
import { ApiError, api } from '../lib/api.js';
import { useApp } from '../lib/context.js';
import { t } from '../lib/i18n.js';
import { clearCache, useApi } from '../lib/query.js';
import { FIELDS, type Field, problemsByField } from '../lib/smart.fields.js';
import { ErrorBox } from './states.js';

const LINT_DELAY_MS = 400;
type Draft = Record<Field, string>;
const DIRECTIONS = ['increase', 'decrease', 'stay_above', 'stay_below'] as const;
const LETTERS = ['specific', 'measurable', 'achievable', 'relevant', 'time_bound'] as const;
/** A SMART letter's name in the user's language (the reason after it is the server's English). */
const letterName = (l: string) =>
  (LETTERS as readonly string[]).includes(l) ? t(`edit.letter.${l as (typeof LETTERS)[number]}`) : l;

function draftOf(o: ObjectiveAnswer['objective']): Draft {
  const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  return {
    title: s(o.title),
    kpi: s(o.kpi),
    target: s(o.target),
    baseline: s(o.baseline),
    direction: s(o.direction),
    start: s(o.start),
    due: s(o.due),
    owner: s(o.owner),
    team: s(o.team),
    market: s(o.market),
  };
}

const num = (v: string) => (/^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v.trim());

/** The draft as plan fields: numbers as numbers, empty optional fields left out. */
function planFields(d: Draft): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(d)) {
    if (v.trim() === '') continue;
    out[k] = k === 'target' || k === 'baseline' ? num(v) : v.trim();
  }
  return out;
}

/** The changed fields, for the PATCH (null removes an optional field that was emptied). */
function patchOf(before: Draft, d: Draft): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {};
  const fields = planFields(d);
  for (const k of Object.keys(d) as Field[])
    if (before[k] !== d[k]) out[k] = d[k].trim() === '' ? null : (fields[k] ?? null);
  return out;
}

export function ObjectiveEditor({ id, onSaved }: { id: string; onSaved: () => void }) {
  const { me } = useApp();
  const q = useApi<ObjectiveAnswer>(
    `/api/v1/goals/objectives/${encodeURIComponent(id)}`,
    {},
    me.workspace.slug,
  );
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [lint, setLint] = useState<{
    row: LintRow | null;
    plan: Array<{ field: string | null; message: string }>;
  }>({
    row: null,
    plan: [],
  });
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const seq = useRef(0);

  // Each keystroke restarts the timer; only the newest answer is shown.
  useEffect(() => {
    if (!draft || !q.data) return;
    const n = ++seq.current;
    const parent = q.data.parent;
    const objective = { id, ...planFields(draft) };
    const plan =
      parent?.kind === 'goal'
        ? { goals: [{ id: parent.id, title: parent.title, objectives: [objective] }] }
        : { objectives: [objective] };
    const timer = setTimeout(() => {
      // JSON is YAML: the plan goes as the text `goals lint` reads.
      api<{ objectives: LintRow[] }>('/api/v1/goals/lint', {
        method: 'POST',
        body: { yaml: JSON.stringify(plan) },
      })
        .then((r) => {
          if (n === seq.current) setLint({ row: r.objectives.find((o) => o.id === id) ?? null, plan: [] });
        })
        .catch((e: unknown) => {
          if (n !== seq.current) return;
          const problems = e instanceof ApiError ? (e.body as { problems?: unknown } | null)?.problems : null;
          if (Array.isArray(problems)) setLint({ row: null, plan: problems as typeof lint.plan });
          else setError(e instanceof Error ? e : new Error(String(e)));
        });
    }, LINT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft, q.data]);

  if (me.role === 'viewer' || !q.data) return null;
  const before = draftOf(q.data.objective);
  if (!open || !draft)
    return (
      <p>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setDraft(before);
            setOpen(true);
            setSaved(false);
          }}
        >
          {t('edit.open')}
        </button>
        {saved ? (
          <span class="note" role="status">
            {' '}
            {t('edit.saved')}
          </span>
        ) : null}
      </p>
    );
  const problems = problemsByField(lint.row, lint.plan, letterName);
  const failing = Object.values(problems).flat().length;
  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api(`/api/v1/goals/objectives/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        body: patchOf(before, draft),
      });
      clearCache();
      setOpen(false);
      setSaved(true);
      q.reload();
      onSaved();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  const unchanged = Object.keys(patchOf(before, draft)).length === 0;
  return (
    <form class="stack objective-edit" onSubmit={save} aria-label={t('edit.form')}>
      {FIELDS.map((f) => (
        <div key={f} class="field" data-field={f}>
          <label htmlFor={`objective-${f}`}>{t(`edit.${f}`)}</label>
          {f === 'direction' ? (
            <select
              id={`objective-${f}`}
              value={draft[f]}
              onChange={(e) => setDraft({ ...draft, [f]: e.currentTarget.value })}
            >
              <option value="">{t('edit.fromKpi')}</option>
              {DIRECTIONS.map((d) => (
                <option key={d} value={d}>
                  {t(`edit.direction.${d}`)}
                </option>
              ))}
            </select>
          ) : (
            <input
              id={`objective-${f}`}
              name={f}
              value={draft[f]}
              aria-invalid={problems[f] ? true : undefined}
              onInput={(e) => setDraft({ ...draft, [f]: e.currentTarget.value })}
            />
          )}
          {(problems[f] ?? []).map((p) => (
            <span key={p} class="field-problem" data-problem={f}>
              {p}
            </span>
          ))}
        </div>
      ))}
      <p class={failing ? 'state error' : 'muted'} aria-live="polite" data-smart={failing ? 'fail' : 'ok'}>
        {lint.row === null && lint.plan.length === 0
          ? t('edit.checking')
          : failing
            ? t('edit.problems', { count: failing })
            : t('edit.passes')}
      </p>
      {error ? <ErrorBox error={error} /> : null}
      <div>
        <button type="submit" disabled={busy || failing > 0 || unchanged}>
          {t('edit.save')}
        </button>{' '}
        <button type="button" class="link" onClick={() => setOpen(false)}>
          {t('edit.cancel')}
        </button>
      </div>
    </form>
  );
}
