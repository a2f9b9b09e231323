import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { IMPORT_KINDS } from '../../ingest/import/index.js';
import type { Store } from '../../store/store.js';
import { importAnswer, importData, isImportKind } from '../../usecases/imports.usecase.js';
import { spoolUpload } from '../upload.spool.js';

/** Bad rows returned in a 400 (or with skip_invalid, in the 200); all are counted. */
const LISTED = 1000;

const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes)$/i.test(v.trim());

/**
 * `POST /api/v1/import/{kind}?preset=&skip_invalid=&format=`: the body is the file (`text/csv`,
 * `application/x-ndjson`, …) or a `multipart/form-data` form with a `file` part (and optional
 * `preset`, `skip_invalid` fields). 200 with the summary (its `warnings`: rows imported with a
 * warning, grouped, with their lines); 400 with the bad rows when any row is invalid (nothing
 * imported) or the file cannot be read.
 *
 * @example
 * curl -H "Authorization: Bearer $WRITE_KEY" -H 'content-type: text/csv' \
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
    }>('/api/v1/import/:kind', { config: { access: 'editor', body: 'file' } }, async (req, reply) => {
      // Editors and up (an editor session, an API token); write keys are refused by the access hook.
      const w = req.access.workspace;
      const kind = req.params.kind;
      if (!isImportKind(kind)) {
        return reply.code(404).send({ error: `unknown kind "${kind}" (${IMPORT_KINDS.join(', ')})` });
      }
      const upload = await spoolUpload(req, opts.maxUploadBytes);
      try {
        const result = await importData(store.forWorkspace(w), {
          kind,
          path: upload.path,
          name: upload.fields.name || upload.fileName,
          contentType: upload.contentType,
          format: req.query.format,
          preset: req.query.preset ?? upload.fields.preset ?? null,
          skipInvalid: truthy(req.query.skip_invalid ?? upload.fields.skip_invalid),
          rejectsPath: null,
          keepIssues: LISTED,
        });
        const answer = importAnswer(result);
        return reply.code(answer.status).send(answer.body);
      } finally {
        upload.dispose();
      }
    });
  };
}
