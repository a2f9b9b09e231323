/**
 * Data: upload a CSV or NDJSON file (with a preset for HubSpot, Salesforce, Google Ads, Meta or GA4
 * exports) and see what the import did, every bad row by line; the workspace's row counts; a write key
 * and the tracking snippet to paste into a website.
 */
import { useState } from 'preact/hooks';
import { Empty, ErrorBox, Loaded } from '../components/states.js';
import { ApiError, api } from '../lib/api.js';
import { useApp } from '../lib/context.js';
import { formatValue } from '../lib/format.js';
import { clearCache, useApi } from '../lib/query.js';
import { trackingSnippet } from '../lib/snippet.js';

const KINDS = ['events', 'contacts', 'deals', 'spend', 'email', 'social'] as const;
type Kind = (typeof KINDS)[number];
/** INTERFACE.md's presets and the kind of data each reads. */
const PRESETS: Record<string, Kind> = {
  'hubspot-contacts': 'contacts',
  'hubspot-deals': 'deals',
  'salesforce-leads': 'contacts',
  'salesforce-opportunities': 'deals',
  'google-ads': 'spend',
  'meta-ads': 'spend',
  'ga4-bigquery': 'events',
};

interface Issue {
  line: number;
  column: string;
  reason: string;
}
interface ImportAnswer {
  rows: number;
  imported?: number;
  updated?: number;
  skipped?: number;
  rejected?: number;
  conflicts?: number;
  invalid?: number;
  errors: Issue[];
  error?: string;
}

function Upload() {
  const { me, fmt } = useApp();
  const [kind, setKind] = useState<Kind>('contacts');
  const [preset, setPreset] = useState('');
  const [skip, setSkip] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; body: ImportAnswer } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const editor = me.role !== 'viewer';
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    const form = new FormData();
    if (preset) form.append('preset', preset);
    if (skip) form.append('skip_invalid', 'true');
    form.append('file', file, file.name);
    try {
      const body = await api<ImportAnswer>(`/api/v1/import/${kind}`, { method: 'POST', body: form });
      setResult({ ok: true, body });
      clearCache();
    } catch (err) {
      if (
        err instanceof ApiError &&
        err.status === 400 &&
        err.body &&
        typeof err.body === 'object' &&
        'errors' in err.body
      )
        setResult({ ok: false, body: err.body as ImportAnswer });
      else setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  const n = (v: number | undefined) => formatValue(v ?? 0, 'count', fmt);
  return (
    <section class="panel" aria-labelledby="upload-h">
      <h2 id="upload-h">Import a file</h2>
      {!editor ? (
        <p class="muted">Importing needs an editor; you are a viewer of this workspace.</p>
      ) : (
        <form class="stack" onSubmit={submit}>
          <label>
            Kind of data
            <select
              value={kind}
              onChange={(e) => {
                setKind(e.currentTarget.value as Kind);
                setPreset('');
              }}
            >
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
          <label>
            Preset (the tool the file was exported from)
            <select value={preset} onChange={(e) => setPreset(e.currentTarget.value)}>
              <option value="">none: Northstar's columns (docs/imports.md)</option>
              {Object.entries(PRESETS)
                .filter(([, k]) => k === kind)
                .map(([p]) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
            </select>
          </label>
          <label>
            File (CSV or NDJSON)
            <input
              type="file"
              name="file"
              accept=".csv,.tsv,.ndjson,.jsonl,.json,text/csv"
              required
              onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
            />
          </label>
          <label class="inline">
            <input type="checkbox" checked={skip} onChange={(e) => setSkip(e.currentTarget.checked)} /> Import
            the valid rows and skip the invalid ones (else a file with any bad row imports nothing)
          </label>
          <div>
            <button type="submit" disabled={busy || !file}>
              {busy ? 'Importing…' : 'Import'}
            </button>
          </div>
        </form>
      )}
      {error ? <ErrorBox error={error} /> : null}
      {result ? (
        <div class={`import-result ${result.ok ? 'ok' : 'refused'}`} role="status">
          {result.ok ? (
            <p>
              <b>Imported.</b> {n(result.body.rows)} rows read: {n(result.body.imported)} new,{' '}
              {n(result.body.updated)} updated, {n(result.body.skipped)} already stored,{' '}
              {n(result.body.rejected)} rejected
              {result.body.conflicts ? `, ${n(result.body.conflicts)} conflicts` : ''}.
            </p>
          ) : (
            <p>
              <b>Nothing was imported:</b> {result.body.error}
            </p>
          )}
          {result.body.errors.length ? (
            <div class="scroll">
              <table class="issues">
                <thead>
                  <tr>
                    <th>Line</th>
                    <th>Column</th>
                    <th>Problem</th>
                  </tr>
                </thead>
                <tbody>
                  {result.body.errors.map((x) => (
                    <tr key={`${x.line}-${x.column}`}>
                      <td>{x.line}</td>
                      <td>{x.column}</td>
                      <td class="wrap">{x.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function Counts() {
  const { me, fmt } = useApp();
  const q = useApi<Record<string, number>>('/api/v1/stats', {}, me.workspace.slug);
  return (
    <section class="panel" aria-labelledby="counts-h">
      <h2 id="counts-h">Rows stored</h2>
      {q.error instanceof ApiError && q.error.status === 404 ? (
        <Empty>
          This server has no row-count endpoint (GET /api/v1/stats); `northstar stats` prints them.
        </Empty>
      ) : (
        <Loaded q={q} what="Row counts">
          {(s) => (
            <div class="tiles">
              {Object.entries(s).map(([k, v]) => (
                <div class="tile" key={k} data-kind={k}>
                  <div class="k">{k}</div>
                  <div class="v">{formatValue(v, 'count', fmt)}</div>
                </div>
              ))}
            </div>
          )}
        </Loaded>
      )}
    </section>
  );
}

function Tracking() {
  const { me } = useApp();
  const [key, setKey] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const create = async () => {
    setError(null);
    try {
      const k = await api<{ key: string }>('/api/v1/keys', { method: 'POST', body: { kind: 'write' } });
      setKey(k.key);
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    }
  };
  return (
    <section class="panel" aria-labelledby="track-h">
      <h2 id="track-h">Track a website</h2>
      <p class="muted">
        A write key only sends events (anyone can read it in the page's source); it cannot read anything.
      </p>
      {me.role === 'admin' ? (
        <button type="button" onClick={create}>
          Create a write key
        </button>
      ) : (
        <p class="muted">
          An admin creates write keys (or: <code>northstar keys create --kind write</code>).
        </p>
      )}
      {error ? <ErrorBox error={error} /> : null}
      {key ? (
        <>
          <p>
            Your write key (shown once): <code data-write-key>{key}</code>
          </p>
          <p>Paste this before &lt;/head&gt; on every page:</p>
          <pre class="snippet">{trackingSnippet(key, location.origin)}</pre>
        </>
      ) : null}
    </section>
  );
}

export function Data() {
  return (
    <section>
      <div class="page-head">
        <h1>Data</h1>
      </div>
      <Counts />
      <Upload />
      <Tracking />
    </section>
  );
}
