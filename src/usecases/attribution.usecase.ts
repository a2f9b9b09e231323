/**
 * Attribution: over the workspace's journeys, or over a path file in ChannelAttribution's layout,
 * under one model or every model side by side (`attribution …`, `/api/v1/attribution…`).
 */
import {
  attributePaths,
  isModelId,
  MODEL_IDS,
  type ModelId,
  PathFileParser,
  validateAttributionOptions,
} from '../attribution/index.js';
import type { AttributionResult } from '../attribution/types.js';
import { attributeAllModels, attributeWorkspace } from '../attribution/workspace.attribution.js';
import { CONVERSIONS, type Conversion } from '../attribution/workspace.journeys.js';
import { UserError } from '../core/errors.js';
import { addDays, today } from '../core/time.js';
import { memoRead, stamped } from '../store/read.cache.js';
import type { WorkspaceStore } from '../store/store.js';

/** Options every attribution takes. */
export interface ModelInput {
  /** A model id, or `all` for every model side by side. */
  model: string;
  order?: number;
  nulls?: 'include' | 'exclude';
  halfLife?: number;
}

function checkModel(model: string): ModelId | 'all' {
  if (model !== 'all' && !isModelId(model))
    throw new UserError(`--model must be one of ${MODEL_IDS.join(', ')}, or all`, { field: '--model' });
  return model as ModelId | 'all';
}

export interface WorkspaceAttributionInput extends ModelInput {
  conversion?: string;
  lookback?: number;
  by?: string;
  from?: string;
  to?: string;
  account?: boolean;
}

/**
 * Conversions and value credited to channels (or campaigns) over the workspace's journeys; `from`
 * defaults to 364 days before `to` (default today).
 *
 * @example
 * await workspaceAttribution(ws, { model: 'markov', conversion: 'deal_won' });
 */
export async function workspaceAttribution(ws: WorkspaceStore, input: WorkspaceAttributionInput) {
  const model = checkModel(input.model);
  const by = input.by ?? 'channel';
  if (by !== 'channel' && by !== 'campaign')
    throw new UserError('--by must be channel or campaign', { field: '--by' });
  if (input.conversion !== undefined && !(CONVERSIONS as readonly string[]).includes(input.conversion))
    throw new UserError(`--conversion must be one of ${CONVERSIONS.join(', ')}`, { field: '--conversion' });
  const to = input.to ?? today(ws.workspace.timezone);
  const o = {
    conversion: input.conversion as Conversion | undefined,
    from: input.from ?? addDays(to, -364),
    to,
    lookbackDays: input.lookback,
    by,
    account: input.account === true,
    order: input.order,
    nulls: input.nulls,
    halfLifeDays: input.halfLife,
  } as const;
  // Under `serve` kept until the workspace is written to; tracking data arriving meanwhile leaves the
  // answer served, said to be stale, while it is refreshed in the background (store/answer.cache.ts):
  // three years of journeys take seconds to build, and a live site writes every second.
  type Answer =
    | Awaited<ReturnType<typeof attributeAllModels>>
    | Awaited<ReturnType<typeof attributeWorkspace>>;
  return stamped(
    await memoRead<Answer>(
      ws,
      'attribution',
      { model, ...o },
      () => (model === 'all' ? attributeAllModels(ws, o) : attributeWorkspace(ws, model, o)),
      { stale: true },
    ),
  );
}

/** A path file's bytes and the name its errors are reported under. */
export interface PathFileInput {
  chunks: AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array>;
  name: string;
  sep?: string;
}

/**
 * Attribution over a path file, read as it streams in; with model `all`, `{ models: [...] }`.
 *
 * @example
 * await pathAttribution({ chunks: createReadStream('paths.csv'), name: 'paths.csv' }, { model: 'markov' });
 * // { model: 'markov', order: 1, total_conversions: …, rows: [{ channel, conversions, value, removal_effect }] }
 */
export async function pathAttribution(
  file: PathFileInput,
  input: ModelInput,
): Promise<AttributionResult | { models: AttributionResult[] }> {
  const model = checkModel(input.model);
  const models = model === 'all' ? MODEL_IDS : [model];
  const options = models.map((m) => ({
    model: m,
    order: input.order,
    nulls: input.nulls,
    halfLifeDays: input.halfLife,
  }));
  for (const o of options) validateAttributionOptions(o);
  const parser = new PathFileParser({ sep: file.sep, file: file.name });
  try {
    for await (const chunk of file.chunks)
      parser.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  } catch (e) {
    if (e instanceof UserError) throw e;
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new UserError(`cannot read ${file.name}: ${why}`, { file: file.name });
  }
  const table = parser.finish();
  const results = options.map((o) => attributePaths(table, o));
  return model === 'all' ? { models: results } : (results[0] as AttributionResult);
}
