import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UnprocessableError } from '../../shared/errors';
import type { SettingsService } from './settings.service';
import { settingsUpdateBody, settingsView } from './settings.schemas';

/** The shop's settings: everyone reads (the console flags an empty brand), admins write. */
export function settingsRoutes(settings: SettingsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/settings', {
      schema: { tags: ['settings'], response: { 200: settingsView } },
    }, async () => settings.view());

    app.put('/v1/settings', {
      config: { access: 'admin' },
      // Checked here, not by the route schema: a setting the shop can't use is a 422 naming it
      // (`frequencyCap.max`), in the console's words, rather than the schema layer's 400.
      schema: { tags: ['settings'], body: z.record(z.string(), z.unknown()).describe('see settingsUpdateBody'), response: { 200: settingsView } },
    }, async (request) => {
      const parsed = settingsUpdateBody.safeParse(request.body);
      if (!parsed.success) {
        const details = parsed.error.issues.map((issue) => ({
          field: [...issue.path, ...(issue.code === 'unrecognized_keys' ? [issue.keys[0]] : [])].join('.') || 'body',
          message: issue.message,
        }));
        throw new UnprocessableError(details.map((d) => `${d.field}: ${d.message}`).join('; '), details, 'invalid_setting');
      }
      return settings.update(parsed.data);
    });
  };
}
