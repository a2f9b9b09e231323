import { writeFileSync } from 'node:fs';
import { kpiDocs } from '../src/metrics/kpi.docs.js';

writeFileSync(new URL('../docs/kpis.md', import.meta.url), kpiDocs());
console.log('wrote docs/kpis.md');
