import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import {
  type FileFormat,
  formatOf,
  IMPORT_KINDS,
  type ImportKind,
  importFile,
  runImport,
} from '../../ingest/import/index.js';
import type { Store } from '../../store/store.js';
import { spoolUpload } from '../upload.spool.js';

/** Bad rows returned in a 400 (or with skip_invalid, in the 200); all are counted. */
const LISTED = 1000;

/** The file's format: `?format=`, else the uploaded file's name, else the content type, else the kind's usual one. */
function formatFor(
  kind: ImportKind,
  query: string | undefined,
  fileName: string | null,
  contentType: string | null,
): FileFormat | null {
  if (query === 'csv' || query === 'ndjson') return query;
  if (query) return null;
  const byName = fileName ? formatOf(fileName) : null;
  if (byName) return byName;
  const t = contentType ?? '';
  if (/csv|tab-separated/.test(t)) return 'csv';
  if (/ndjson|jsonl|json/.test(t)) return 'ndjson';
  return kind === 'events' ? 'ndjson' : 'csv';
}

const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes)$/i.test(v.trim());

/**
 * `POST /api/v1/import/{kind}?preset=&skip_invalid=&format=`: the body is the file (`text/csv`,
 * `application/x-ndjson`, …) or a `multipart/form-data` form with a `file` part (and optional
 * `preset`, `skip_invalid` fields). 200 with the summary (its `warnings`: rows imported with a
 * warning, grouped, with their lines); 400 with the bad rows when any row is invalid (nothing
 * imported) or the file cannot be read.
 *
 * @example
 * curl -H "Authorization: Bearer $API_TOKEN" -H 'content-type: text/csv' \
 *   --data-binary @contacts.csv 'http://localhost:8080/api/v1/import/contacts?preset=hubspot-contacts'
 */
export function importRoutes(store: Store, opts: { maxUploadBytes?: number } = {}) {
  return async (app: FastifyInstance): Promise<void> => {
    // In this plugin only: every body reaches the handler as a stream, unparsed and unlimited.
    app.removeAllContentTypeParsers();
    await app.register(multipart);
    app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

    app.post<{
      Params: { kind: string };
      Querystring: { preset?: string; skip_invalid?: string; format?: string };
    }>('/api/v1/import/:kind', { config: { access: 'editor' } }, async (req, reply) => {
      const w = req.access.workspace;
      const kind = req.params.kind;
      if (!(IMPORT_KINDS as readonly string[]).includes(kind)) {
        return reply.code(404).send({ error: `unknown kind "${kind}" (${IMPORT_KINDS.join(', ')})` });
      }
      const upload = await spoolUpload(req, opts.maxUploadBytes);
      try {
        const format = formatFor(kind as ImportKind, req.query.format, upload.fileName, upload.contentType);
        if (!format) return reply.code(400).send({ error: 'format must be csv or ndjson' });
        const tsv = /tab-separated/.test(upload.contentType ?? '');
        const name = upload.fileName ?? `upload${format === 'ndjson' ? '.ndjson' : tsv ? '.tsv' : '.csv'}`;
        const file = await importFile(upload.path, { name, format });
        const preset = req.query.preset ?? upload.fields.preset ?? null;
        const skipInvalid = truthy(req.query.skip_invalid ?? upload.fields.skip_invalid);
        const result = await runImport(store.forWorkspace(w), {
          kind: kind as ImportKind,
          file,
          preset: preset || null,
          skipInvalid,
          rejectsPath: null,
          keepIssues: LISTED,
        });
        const s = result.summary;
        if (!result.committed) {
          return reply.code(400).send({
            error: `${s.rejected} of ${s.rows} rows are invalid; nothing was imported`,
            rows: s.rows,
            invalid: s.rejected,
            errors: result.issues,
          });
        }
        return { ...s, errors: result.issues };
      } finally {
        upload.dispose();
      }
    });
  };
}
