/** The KPI catalog (names, units, definitions), fetched once per workspace. */
import { useApp } from './context.js';
import { useApi } from './query.js';
import type { KpiCatalogEntry } from './types.js';

export function useCatalog(): {
  list: KpiCatalogEntry[];
  byId: Map<string, KpiCatalogEntry>;
  error: Error | null;
} {
  const { me } = useApp();
  const q = useApi<{ kpis: KpiCatalogEntry[] }>('/api/v1/kpis', {}, me.workspace.slug);
  const list = q.data?.kpis ?? [];
  return { list, byId: new Map(list.map((k) => [k.id, k])), error: q.error };
}
