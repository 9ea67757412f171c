import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canAccess, type Access, type AuthService, type Principal } from '../modules/auth/auth.service';
import { ForbiddenError, UnauthorizedError } from '../shared/errors';
import type { FailedAuthLimit } from './failed-auth-limit';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call a /v1 route; GET/HEAD default to `read`, every other method must say. */
    access?: Access;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyInstance {
    /** Every /v1 route with the access it demands (the route-guard test walks this list). */
    guardedRoutes: GuardedRoute[];
  }
}

export interface GuardedRoute {
  method: string;
  url: string;
  access: Access;
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return match?.[1]?.trim();
}

/**
 * Guards every /v1 route: 401 without a valid key, 403 when the role may not write there.
 * A write route that forgets to declare its access makes the app refuse to start. Requests
 * without a valid key count against their address's budget (429 past it, before any lookup).
 */
export function registerAuth(app: FastifyInstance, auth: AuthService, failedAuth: FailedAuthLimit): void {
  const guardedRoutes: GuardedRoute[] = [];
  app.decorate('guardedRoutes', guardedRoutes);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/v1')) return;
    const methods = ([] as string[]).concat(route.method);
    const readOnly = methods.every((m) => m === 'GET' || m === 'HEAD');
    const access: Access | undefined = route.config?.access ?? (readOnly ? 'read' : undefined);
    if (!access) throw new Error(`route ${methods.join(',')} ${route.url} must declare config.access`);
    for (const method of methods) if (method !== 'HEAD') guardedRoutes.push({ method, url: route.url, access });
    const guard = async (request: FastifyRequest, reply: FastifyReply) => {
      await failedAuth.check(request, reply);
      request.principal = await auth.authenticate(bearerToken(request)).catch(async (error: unknown) => {
        if (error instanceof UnauthorizedError) await failedAuth.failed(request);
        throw error;
      });
      if (!canAccess(request.principal.role, access)) {
        throw new ForbiddenError(`role ${request.principal.role} may not do this (needs ${access})`);
      }
    };
    route.onRequest = [...([] as never[]).concat((route.onRequest as never) ?? []), guard as never];
  });
}
