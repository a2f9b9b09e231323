/**
 * The market filter: a picker of the workspace's markets (`GET /api/v1/markets`) kept in the URL
 * (`?market=`), and the query parameter a KPI request takes from it — only for KPIs that have a
 * market (the catalog's `filters`); the others show every market and say so.
 */
import { useCatalog } from '../lib/catalog.js';
import { useApp } from '../lib/context.js';
import { t } from '../lib/i18n.js';
import { useApi } from '../lib/query.js';

/** `{ market }` for a KPI request when the view filters by market and the KPI can be; else `{}`. */
export function useMarketFilter(kpi: string): { query: { market?: string }; ignored: boolean } {
  const { view } = useApp();
  const cat = useCatalog();
  if (!view.market) return { query: {}, ignored: false };
  const def = cat.byId.get(kpi);
  // Until the catalog is in, the filter is assumed: a KPI without markets answers 400 rather than a
  // silently unfiltered figure.
  if (def?.filters && !def.filters.includes('market')) return { query: {}, ignored: true };
  return { query: { market: view.market }, ignored: false };
}

export function MarketPicker() {
  const { view, go, me } = useApp();
  const q = useApi<{ markets: string[] }>('/api/v1/markets', {}, me.workspace.slug);
  const markets = q.data?.markets ?? [];
  if (markets.length === 0 && !view.market) return null;
  return (
    <label class="market">
      <span class="sr">{t('market.label')}</span>
      <select
        aria-label={t('market.label')}
        value={view.market ?? ''}
        onChange={(e) => go({ market: e.currentTarget.value || null }, true)}
      >
        <option value="">{t('market.all')}</option>
        {[...new Set([...markets, ...(view.market ? [view.market] : [])])].map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>
    </label>
  );
}
