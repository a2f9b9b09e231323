/**
 * Every attribution model side by side: grouped bars per channel (or campaign) and the table with
 * credited conversions, revenue and ROI per model; conversion, look-back and Markov order as controls.
 */
import { useMemo, useState } from 'preact/hooks';
import { Chart } from '../charts/chart.js';
import { attributionOption } from '../charts/options.js';
import { AsOf } from '../components/as.of.js';
import { CsvButton } from '../components/csv.button.js';
import { PeriodPicker, useRange } from '../components/period.js';
import { Empty, Loaded } from '../components/states.js';
import { useApp } from '../lib/context.js';
import { formatValue } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { useApi } from '../lib/query.js';
import { CONVERSIONS, type ConversionId } from '../lib/state.js';
import type { AttributionAll, Stamped } from '../lib/types.js';

export function Attribution() {
  const { view, go, me, fmt } = useApp();
  const range = useRange();
  const [metric, setMetric] = useState<'value' | 'conversions'>('value');
  const by = view.attrBy;
  const q = useApi<Stamped<AttributionAll>>(
    '/api/v1/attribution',
    {
      model: 'all',
      from: range.from,
      to: range.to,
      conversion: view.conversion,
      lookback: view.lookback,
      order: view.order,
      by,
    },
    me.workspace.slug,
  );
  const option = useMemo(
    () =>
      q.data
        ? attributionOption(
            q.data.models as unknown as Array<{ model: string; rows: Array<Record<string, unknown>> }>,
            metric,
            by,
            fmt,
          )
        : null,
    [q.data, metric, by, fmt],
  );
  return (
    <section>
      <div class="page-head">
        <h1>{t('attr.title')}</h1>
        <PeriodPicker />
      </div>
      <div class="controls">
        <label>
          {t('attr.conversion')}
          <select
            value={view.conversion}
            onChange={(e) => go({ conversion: e.currentTarget.value as ConversionId }, true)}
          >
            {CONVERSIONS.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('attr.lookback')}
          <input
            type="number"
            min={0}
            max={3650}
            placeholder={t('attr.salesCycle')}
            value={view.lookback ?? ''}
            onChange={(e) =>
              go({ lookback: e.currentTarget.value === '' ? null : Number(e.currentTarget.value) }, true)
            }
          />
        </label>
        <label>
          {t('attr.order')}
          <select value={view.order} onChange={(e) => go({ order: Number(e.currentTarget.value) }, true)}>
            {[1, 2, 3, 4].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('attr.by')}
          <select
            value={by}
            onChange={(e) => go({ attrBy: e.currentTarget.value as 'channel' | 'campaign' }, true)}
          >
            <option value="channel">{t('attr.channel')}</option>
            <option value="campaign">{t('attr.campaign')}</option>
          </select>
        </label>
        <label>
          {t('attr.show')}
          <select
            value={metric}
            onChange={(e) => setMetric(e.currentTarget.value as 'value' | 'conversions')}
          >
            <option value="value">{t('attr.revenue')}</option>
            <option value="conversions">{t('attr.conversions')}</option>
          </select>
        </label>
      </div>
      <Loaded q={q} what={t('attr.loading')}>
        {(a) => {
          const models = a.models;
          if (models.every((m) => m.total_conversions === 0))
            return <Empty>{t('attr.empty', { conversion: view.conversion })}</Empty>;
          return (
            <>
              <p class="muted">
                {t('attr.summary', {
                  conversions: formatValue(models[0]?.total_conversions ?? 0, 'count', fmt),
                  value: formatValue(models[0]?.total_value ?? 0, 'currency', fmt),
                  days: String(a.lookback),
                  basis: String(a.lookback_basis),
                })}
              </p>
              <AsOf answer={a} />
              {option ? (
                <Chart option={option} height={by === 'campaign' ? 380 : 320} label={t('attr.credit')} />
              ) : null}
              <div class="controls">
                <CsvButton
                  name={`attribution-${view.conversion}-by-${by}.csv`}
                  columns={[
                    by,
                    'spend',
                    ...models.flatMap((m) => [m.model, `${m.model}_value`, `${m.model}_roi`]),
                  ]}
                  rows={a.table}
                />
              </div>
              <div class="scroll">
                <table>
                  <thead>
                    <tr>
                      <th>{t(by === 'campaign' ? 'attr.campaign' : 'attr.channel')}</th>
                      <th>{t('attr.spend')}</th>
                      {models.map((m) => (
                        <th key={m.model}>{m.model}</th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {a.table.map((r) => (
                      <tr key={String(r[by])}>
                        <td>{String(r[by])}</td>
                        <td>{formatValue(r.spend as number, 'currency', fmt)}</td>
                        {models.map((m) => (
                          <td
                            key={m.model}
                            title={`ROI ${formatValue(r[`${m.model}_roi`] as number | null, 'ratio', fmt)}`}
                          >
                            {metric === 'value'
                              ? formatValue(r[`${m.model}_value`] as number, 'currency', fmt)
                              : formatValue(r[m.model] as number, 'count', fmt)}
                            {r[`${m.model}_roi`] == null ? null : (
                              <div class="muted">
                                ROI {formatValue(r[`${m.model}_roi`] as number, 'ratio', fmt)}
                              </div>
                            )}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          );
        }}
      </Loaded>
    </section>
  );
}
