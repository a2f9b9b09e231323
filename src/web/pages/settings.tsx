/**
 * Settings (admins): members and roles, keys (created and shown once, revoked), alert webhooks and
 * channel rules. Every change goes through the same JSON routes as the CLI (`user …`, `keys …`,
 * `goals webhooks …`, `channels rules set`), with the session's CSRF token (lib/api.ts).
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { KeyRow } from '../../usecases/keys.usecase.js';
import type { MemberRow } from '../../usecases/users.usecase.js';
import { ErrorBox, Loaded } from '../components/states.js';
import { ApiError, api } from '../lib/api.js';
import { useApp } from '../lib/context.js';
import { formatInstant } from '../lib/format.js';
import { clearCache, useApi } from '../lib/query.js';
import { rulesToYaml } from '../lib/rules.yaml.js';

const ROLES = ['viewer', 'editor', 'admin'] as const;

/** Runs a write: busy while it runs, its error kept to show, the page's queries refreshed after. */
function useWrite() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const run = async <T,>(fn: () => Promise<T>, after: () => void): Promise<T | null> => {
    setBusy(true);
    setError(null);
    try {
      const r = await fn();
      clearCache();
      after();
      return r;
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
      return null;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

function Panel({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="panel settings" aria-labelledby={`${id}-h`} data-section={id}>
      <h2 id={`${id}-h`}>{title}</h2>
      {children}
    </section>
  );
}

function Members() {
  const { me, fmt, tz } = useApp();
  const q = useApi<{ members: MemberRow[] }>('/api/v1/users', {}, me.workspace.slug);
  const w = useWrite();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<string>('viewer');
  const [password, setPassword] = useState('');
  const [added, setAdded] = useState<{ email: string; password?: string } | null>(null);
  const add = async (e: Event) => {
    e.preventDefault();
    const body = { email, role, ...(password ? { password } : {}) };
    const r = await w.run(
      () => api<{ email: string; password?: string }>('/api/v1/users', { method: 'POST', body }),
      q.reload,
    );
    if (r) {
      setAdded(r);
      setEmail('');
      setPassword('');
    }
  };
  const path = (m: MemberRow) => `/api/v1/users/${encodeURIComponent(m.email)}`;
  return (
    <Panel id="members" title="Members">
      <Loaded q={q} what="Members">
        {(d) => (
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th>E-mail</th>
                  <th>Role</th>
                  <th>Last sign-in</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {d.members.map((m) => (
                  <tr key={m.email} data-member={m.email}>
                    <td>
                      {m.email}
                      {m.name ? <span class="muted"> ({m.name})</span> : null}
                    </td>
                    <td>
                      <select
                        aria-label={`Role of ${m.email}`}
                        value={m.role}
                        disabled={w.busy}
                        onChange={(e) => {
                          const body = { role: e.currentTarget.value };
                          void w.run(() => api(path(m), { method: 'PATCH', body }), q.reload);
                        }}
                      >
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {r}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>{m.last_sign_in ? formatInstant(m.last_sign_in, fmt, tz) : '—'}</td>
                    <td>
                      <button
                        type="button"
                        class="link"
                        disabled={w.busy || m.email === me.user.email}
                        title={m.email === me.user.email ? 'You cannot remove yourself' : undefined}
                        onClick={() => {
                          if (confirm(`Remove ${m.email} from ${me.workspace.name}?`))
                            void w.run(() => api(path(m), { method: 'DELETE' }), q.reload);
                        }}
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      <form class="inline-form" onSubmit={add}>
        <label>
          E-mail
          <input
            type="email"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
            autocomplete="off"
          />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.currentTarget.value)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          Password (new users; empty: a one-time password)
          <input
            type="password"
            minLength={8}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            autocomplete="new-password"
          />
        </label>
        <button type="submit" disabled={w.busy}>
          Add member
        </button>
      </form>
      {w.error ? <ErrorBox error={w.error} /> : null}
      {added ? (
        <p class="note" role="status">
          {added.email} added.
          {added.password ? (
            <>
              {' '}
              One-time password (shown once): <code data-one-time-password>{added.password}</code>
            </>
          ) : null}
        </p>
      ) : null}
    </Panel>
  );
}

function Keys() {
  const { me, fmt, tz } = useApp();
  const q = useApi<{ keys: KeyRow[] }>('/api/v1/keys', {}, me.workspace.slug);
  const w = useWrite();
  const [kind, setKind] = useState<'write' | 'read' | 'token'>('read');
  const [role, setRole] = useState<'editor' | 'admin'>('editor');
  const [created, setCreated] = useState<{ key: string; kind: string } | null>(null);
  const day = (iso: string | null) => (iso ? formatInstant(iso, fmt, tz) : '—');
  const create = async (e: Event) => {
    e.preventDefault();
    const body = kind === 'token' ? { kind, role } : { kind };
    const r = await w.run(
      () => api<{ key: string; kind: string }>('/api/v1/keys', { method: 'POST', body }),
      q.reload,
    );
    if (r) setCreated(r);
  };
  return (
    <Panel id="keys" title="Keys">
      <p class="muted">
        Write keys send events from websites (public by design); read keys read the JSON API; tokens let
        scripts change things, as editor or admin. Only a key's hash is stored: it is shown once.
      </p>
      <Loaded q={q} what="Keys">
        {(d) => (
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th>Prefix</th>
                  <th>Kind</th>
                  <th>Created</th>
                  <th>Last used</th>
                  <th>Revoked</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {d.keys.map((k) => (
                  <tr key={k.prefix} data-key={k.prefix} class={k.revoked ? 'revoked' : undefined}>
                    <td>
                      <code>{k.prefix}…</code>
                    </td>
                    <td>{k.role ? `${k.kind} (${k.role})` : k.kind}</td>
                    <td>{day(k.created)}</td>
                    <td>{day(k.last_used)}</td>
                    <td>{day(k.revoked)}</td>
                    <td>
                      {k.revoked ? null : (
                        <button
                          type="button"
                          class="link"
                          disabled={w.busy}
                          onClick={() => {
                            if (confirm(`Revoke ${k.prefix}…? Requests with it are refused at once.`))
                              void w.run(
                                () =>
                                  api(`/api/v1/keys/${encodeURIComponent(k.prefix)}`, { method: 'DELETE' }),
                                q.reload,
                              );
                          }}
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      <form class="inline-form" onSubmit={create}>
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(e.currentTarget.value as typeof kind)}>
            <option value="read">read (JSON API reads)</option>
            <option value="write">write (tracking)</option>
            <option value="token">token (scripts)</option>
          </select>
        </label>
        {kind === 'token' ? (
          <label>
            Role
            <select value={role} onChange={(e) => setRole(e.currentTarget.value as typeof role)}>
              <option value="editor">editor</option>
              <option value="admin">admin</option>
            </select>
          </label>
        ) : null}
        <button type="submit" disabled={w.busy}>
          Create key
        </button>
      </form>
      {w.error ? <ErrorBox error={w.error} /> : null}
      {created ? (
        <p class="note" role="status">
          New {created.kind} key (shown once, copy it now): <code data-new-key>{created.key}</code>
        </p>
      ) : null}
    </Panel>
  );
}

function Webhooks() {
  const { me } = useApp();
  const q = useApi<{ webhooks: string[] }>('/api/v1/goals/webhooks', {}, me.workspace.slug);
  const w = useWrite();
  const [url, setUrl] = useState('');
  const add = async (e: Event) => {
    e.preventDefault();
    const r = await w.run(() => api('/api/v1/goals/webhooks', { method: 'POST', body: { url } }), q.reload);
    if (r) setUrl('');
  };
  return (
    <Panel id="webhooks" title="Alert webhooks">
      <p class="muted">An objective whose status changes is posted (JSON) to each of these URLs.</p>
      <Loaded q={q} what="Webhooks">
        {(d) =>
          d.webhooks.length === 0 ? (
            <p class="muted">No webhook yet.</p>
          ) : (
            <ul class="plain">
              {d.webhooks.map((u) => (
                <li key={u} data-webhook={u}>
                  <code>{u}</code>{' '}
                  <button
                    type="button"
                    class="link"
                    disabled={w.busy}
                    onClick={() =>
                      void w.run(
                        () => api('/api/v1/goals/webhooks', { method: 'DELETE', body: { url: u } }),
                        q.reload,
                      )
                    }
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
      <form class="inline-form" onSubmit={add}>
        <label>
          URL
          <input
            type="url"
            required
            placeholder="https://hooks.example.com/…"
            value={url}
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={w.busy}>
          Add webhook
        </button>
      </form>
      {w.error ? <ErrorBox error={w.error} /> : null}
    </Panel>
  );
}

type Rules = Parameters<typeof rulesToYaml>[0];

function ChannelRules() {
  const { me } = useApp();
  const q = useApi<{ rules: Rules }>('/api/v1/channels/rules', {}, me.workspace.slug);
  const w = useWrite();
  const [text, setText] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const shown = text ?? (q.data ? rulesToYaml(q.data.rules) : '');
  const save = async (e: Event) => {
    e.preventDefault();
    setSaved(false);
    const r = await w.run(
      () => api('/api/v1/channels/rules', { method: 'PUT', body: { yaml: shown } }),
      q.reload,
    );
    if (r) {
      setText(null);
      setSaved(true);
    }
  };
  const where =
    w.error instanceof ApiError && w.error.body && typeof w.error.body === 'object'
      ? (w.error.body as { line?: number; field?: string })
      : null;
  return (
    <Panel id="rules" title="Channel rules">
      <p class="muted">
        Tried in order before GA4's default groups; the first match names the channel. Conditions match
        exactly (case-insensitive) or as <code>/regex/</code>. YAML or JSON.
      </p>
      <form class="stack" onSubmit={save}>
        <label>
          Rules
          <textarea
            rows={Math.min(20, Math.max(6, shown.split('\n').length + 1))}
            spellcheck={false}
            value={shown}
            onInput={(e) => {
              setText(e.currentTarget.value);
              setSaved(false);
            }}
            placeholder={'- channel: Partners\n  when:\n    source: /partner|affiliate/'}
          />
        </label>
        <div>
          <button type="submit" disabled={w.busy || q.data === null}>
            Save rules
          </button>
        </div>
      </form>
      {w.error ? (
        <p class="state error" role="alert" data-rules-error>
          {where?.line ? <b>line {where.line}: </b> : null}
          {w.error.message}
        </p>
      ) : null}
      {saved ? (
        <p class="note" role="status">
          Saved: data tracked or imported from now on is grouped by these rules.
        </p>
      ) : null}
    </Panel>
  );
}

export function Settings() {
  const { me } = useApp();
  if (me.role !== 'admin')
    return (
      <section>
        <h1>Settings</h1>
        <p class="state empty">
          Settings are for admins of {me.workspace.name}; you are {me.role}.
        </p>
      </section>
    );
  return (
    <section class="settings-page">
      <div class="page-head">
        <h1>Settings</h1>
      </div>
      <Members />
      <Keys />
      <Webhooks />
      <ChannelRules />
    </section>
  );
}
