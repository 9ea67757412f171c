import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app';
import { authRoutes } from './auth/auth.routes';

/** Every domain's HTTP routes, in one list so `buildApp` stays free of domain knowledge. */
export function routeModules({ services }: AppDeps): FastifyPluginAsyncZod[] {
  return [authRoutes(services.auth)];
}
