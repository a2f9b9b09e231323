import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/store.js';
import { channelRules, defaultChannels, setChannelRules } from '../../usecases/channels.usecase.js';
import { actorOf } from '../access.js';
import { acceptTextFiles, planOf } from '../text.upload.js';

/**
 * Channel grouping: `GET /api/v1/channels` (GA4's default groups), `GET|PUT /api/v1/channels/rules`
 * (the workspace's own rules, first match wins; PUT takes the list as JSON, or a JSON or YAML file
 * as a multipart `file` or a YAML body).
 */
export function channelsRoutes(store: Store) {
  return async (app: FastifyInstance): Promise<void> => {
    await acceptTextFiles(app);
    app.get('/api/v1/channels', { config: { access: 'viewer' } }, async (req, reply) => {
      const w = req.access.workspace;
      return defaultChannels();
    });

    app.get('/api/v1/channels/rules', { config: { access: 'viewer' } }, async (req, reply) => {
      const w = req.access.workspace;
      return channelRules(store.forWorkspace(w));
    });

    app.put<{ Body: unknown }>(
      '/api/v1/channels/rules',
      { config: { access: 'editor' } },
      async (req, reply) => {
        const w = req.access.workspace;
        const rules = Array.isArray(req.body)
          ? { text: JSON.stringify(req.body), file: 'rules.json' }
          : await planOf(req, 'rules.yaml');
        return setChannelRules(
          store.forWorkspace(w),
          { text: rules.text, name: rules.file },
          actorOf(req.access),
        );
      },
    );
  };
}
