/**
 * Settings: alert webhooks (`goals webhooks …`) and channel rules (`channels rules set`), through the
 * same JSON routes as the CLI.
 */

import { useState } from 'preact/hooks';
import { ErrorBox, Loaded } from '../components/states.js';
import { ApiError, api } from '../lib/api.js';
import { useApp } from '../lib/context.js';
import { t, tParts } from '../lib/i18n.js';
import { useApi } from '../lib/query.js';
import { rulesToYaml } from '../lib/rules.yaml.js';
import { Panel, useWrite } from './settings.parts.js';

export function Webhooks() {
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

export function ChannelRules() {
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
