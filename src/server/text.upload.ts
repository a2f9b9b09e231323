/**
 * Text files sent to the JSON API (goal plans, scoring and channel rules): the content types a route
 * plugin accepts for them, reading one from a request, and a plan file's problems as a 400.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UserError } from '../core/errors.js';
import { PlanFileError } from '../goals/plan.yaml.js';
import type { PlanText } from '../usecases/goals.usecase.js';
import { uploadedText } from './upload.spool.js';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

/**
 * Lets a route plugin's routes take a file as a YAML body or a multipart form (scoped to the plugin).
 *
 * @example
 * await acceptTextFiles(app);
 */
export async function acceptTextFiles(app: FastifyInstance): Promise<void> {
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_req, body, done) => done(null, body));
  await app.register(multipart);
}

/** The file of a request (multipart `file`, YAML body or `{"yaml": "…"}`), named `fallback` when unnamed. */
export async function planOf(req: FastifyRequest, fallback: string): Promise<PlanText> {
  const up = await uploadedText(req);
  if (!up)
    throw new UserError(
      'post the file as multipart `file`, as YAML (Content-Type: application/yaml) or as JSON {"yaml": "…"}',
    );
  return { text: up.text, file: up.name ?? fallback };
}

/** Runs `fn`; a plan file's problems become a 400 listing them all, each with its line. */
export async function withPlanProblems<T>(
  reply: FastifyReply,
  fn: () => Promise<T>,
): Promise<T | FastifyReply> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof PlanFileError)
      return reply.code(400).send({ error: e.message, file: e.file, problems: e.problems });
    throw e;
  }
}
