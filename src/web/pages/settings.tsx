/**
 * Settings (admins): members and roles, keys (created and shown once, revoked), alert webhooks and
 * channel rules (settings.rules.tsx). Every change goes through the same JSON routes as the CLI (`user …`, `keys …`,
 * `goals webhooks …`, `channels rules set`), with the session's CSRF token (lib/api.ts).
 */
import { useState } from 'preact/hooks';
import type { KeyRow } from '../../usecases/keys.usecase.js';
import type { MemberRow } from '../../usecases/users.usecase.js';
import { ErrorBox, Loaded } from '../components/states.js';
import { api } from '../lib/api.js';
import { useApp } from '../lib/context.js';
import { formatInstant } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { useApi } from '../lib/query.js';
import { Panel, useWrite } from './settings.parts.js';
import { ChannelRules, Webhooks } from './settings.rules.js';

const ROLES = ['viewer', 'editor', 'admin'] as const;
const KINDS = ['read', 'write', 'token'] as const;

/** A role or key kind in the user's language; anything else as the server sent it. */
const roleName = (r: string) =>
  (ROLES as readonly string[]).includes(r) ? t(`role.${r as (typeof ROLES)[number]}`) : r;
const kindName = (k: string) =>
  (KINDS as readonly string[]).includes(k) ? t(`settings.kind.${k as (typeof KINDS)[number]}`) : k;

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
