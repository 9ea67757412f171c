import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
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
      schema: { tags: ['settings'], body: settingsUpdateBody, response: { 200: settingsView } },
    }, async (request) => settings.update(request.body));
  };
}
