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
import { t, tParts } from '../lib/i18n.js';
import { clearCache, useApi } from '../lib/query.js';
import { rulesToYaml } from '../lib/rules.yaml.js';

const ROLES = ['viewer', 'editor', 'admin'] as const;
const KINDS = ['read', 'write', 'token'] as const;

/** A role or key kind in the user's language; anything else as the server sent it. */
const roleName = (r: string) =>
  (ROLES as readonly string[]).includes(r) ? t(`role.${r as (typeof ROLES)[number]}`) : r;
const kindName = (k: string) =>
  (KINDS as readonly string[]).includes(k) ? t(`settings.kind.${k as (typeof KINDS)[number]}`) : k;

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
    <Panel id="members" title={t('settings.members')}>
      <Loaded q={q} what={t('settings.members')}>
        {(d) => (
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th>{t('signin.email')}</th>
                  <th>{t('settings.role')}</th>
                  <th>{t('settings.lastSignIn')}</th>
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
                        aria-label={t('settings.roleOf', { email: m.email })}
                        value={m.role}
                        disabled={w.busy}
                        onChange={(e) => {
                          const body = { role: e.currentTarget.value };
                          void w.run(() => api(path(m), { method: 'PATCH', body }), q.reload);
                        }}
                      >
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {t(`role.${r}`)}
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
                        title={m.email === me.user.email ? t('settings.cannotRemoveSelf') : undefined}
                        onClick={() => {
                          if (
                            confirm(
                              t('settings.confirmRemove', { email: m.email, workspace: me.workspace.name }),
                            )
                          )
                            void w.run(() => api(path(m), { method: 'DELETE' }), q.reload);
                        }}
                      >
                        {t('settings.remove')}
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
          {t('signin.email')}
          <input
            type="email"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
            autocomplete="off"
          />
        </label>
        <label>
          {t('settings.role')}
          <select value={role} onChange={(e) => setRole(e.currentTarget.value)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('settings.password')}
          <input
            type="password"
            minLength={8}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            autocomplete="new-password"
          />
        </label>
        <button type="submit" disabled={w.busy}>
          {t('settings.addMember')}
        </button>
      </form>
      {w.error ? <ErrorBox error={w.error} /> : null}
      {added ? (
        <p class="note" role="status">
          {t('settings.added', { email: added.email })}
          {added.password ? (
            <>
              {' '}
              {t('settings.oneTime')} <code data-one-time-password>{added.password}</code>
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
    <Panel id="keys" title={t('settings.keys')}>
      <p class="muted">{t('settings.keysHint')}</p>
      <Loaded q={q} what={t('settings.keys')}>
        {(d) => (
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th>{t('settings.prefix')}</th>
                  <th>{t('settings.kind')}</th>
                  <th>{t('settings.created')}</th>
                  <th>{t('settings.lastUsed')}</th>
                  <th>{t('settings.revoked')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {d.keys.map((k) => (
                  <tr key={k.prefix} data-key={k.prefix} class={k.revoked ? 'revoked' : undefined}>
                    <td>
                      <code>{k.prefix}…</code>
                    </td>
                    <td>{k.role ? `${kindName(k.kind)} (${roleName(k.role)})` : kindName(k.kind)}</td>
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
                            if (confirm(t('settings.confirmRevoke', { prefix: k.prefix })))
                              void w.run(
                                () =>
                                  api(`/api/v1/keys/${encodeURIComponent(k.prefix)}`, { method: 'DELETE' }),
                                q.reload,
                              );
                          }}
                        >
                          {t('settings.revoke')}
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
          {t('settings.kind')}
          <select value={kind} onChange={(e) => setKind(e.currentTarget.value as typeof kind)}>
            <option value="read">{t('settings.kindHint.read')}</option>
            <option value="write">{t('settings.kindHint.write')}</option>
            <option value="token">{t('settings.kindHint.token')}</option>
          </select>
        </label>
        {kind === 'token' ? (
          <label>
            {t('settings.role')}
            <select value={role} onChange={(e) => setRole(e.currentTarget.value as typeof role)}>
              <option value="editor">{t('role.editor')}</option>
              <option value="admin">{t('role.admin')}</option>
            </select>
          </label>
        ) : null}
        <button type="submit" disabled={w.busy}>
          {t('settings.createKey')}
        </button>
      </form>
      {w.error ? <ErrorBox error={w.error} /> : null}
      {created ? (
        <p class="note" role="status">
          {t('settings.newKey', { kind: kindName(created.kind) })} <code data-new-key>{created.key}</code>
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
    <Panel id="webhooks" title={t('settings.webhooks')}>
      <p class="muted">{t('settings.webhooksHint')}</p>
      <Loaded q={q} what={t('settings.webhooks')}>
        {(d) =>
          d.webhooks.length === 0 ? (
            <p class="muted">{t('settings.noWebhook')}</p>
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
                    {t('settings.remove')}
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
      <form class="inline-form" onSubmit={add}>
        <label>
          {t('settings.url')}
          <input
            type="url"
            required
            placeholder="https://hooks.example.com/…"
            value={url}
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={w.busy}>
          {t('settings.addWebhook')}
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
    <Panel id="rules" title={t('settings.rules')}>
      <p class="muted">{tParts('settings.rulesHint', { regex: <code key="r">/regex/</code> })}</p>
      <form class="stack" onSubmit={save}>
        <label>
          {t('settings.rulesField')}
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
            {t('settings.saveRules')}
          </button>
        </div>
      </form>
      {w.error ? (
        <p class="state error" role="alert" data-rules-error>
          {where?.line ? <b>{t('settings.line', { line: where.line })} </b> : null}
          {w.error.message}
        </p>
      ) : null}
      {saved ? (
        <p class="note" role="status">
          {t('settings.rulesSaved')}
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
        <h1>{t('nav.settings')}</h1>
        <p class="state empty">
          {t('settings.adminsOnly', { workspace: me.workspace.name, role: roleName(me.role) })}
        </p>
      </section>
    );
  return (
    <section class="settings-page">
      <div class="page-head">
        <h1>{t('nav.settings')}</h1>
      </div>
      <Members />
      <Keys />
      <Webhooks />
      <ChannelRules />
    </section>
  );
}
