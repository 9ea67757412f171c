import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppDeps } from './container/types';
import { registerAuth, bearerToken } from './http/auth.plugin';
import { registerConsole } from './http/console.plugin';
import { registerDocs } from './http/docs.plugin';
import { registerErrorHandler } from './http/error-handler';
import { healthRoutes } from './http/health.routes';
import { registerIdempotency } from './http/idempotency.plugin';
import { registerInputGuards } from './http/input-guards.plugin';
import { registerMetrics } from './http/metrics.plugin';
import { registerQueueDashboard } from './http/queue-dashboard.plugin';
import { FailedAuthLimit } from './http/failed-auth-limit';
import { registerRequestDeadlines, serverLimits } from './http/request-limits';
import { syncedRateLimitStore } from './http/rate-limit-store';
import { OneLineRequestLog } from './http/request-log';
import { routeModules } from './modules/routes';
import { hashApiKey } from './modules/auth/auth.service';

/** Builds the HTTP app from its dependencies; tests build it the same way and call `inject`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, services } = deps;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    logController: new OneLineRequestLog(),
    ...serverLimits(config), // body size, timeouts, trusted proxies
    ajv: { customOptions: { coerceTypes: 'array' } },
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const failedAuth = new FailedAuthLimit(deps.queues.connection, `${config.QUEUE_PREFIX}:authfail:`, config.UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE);

  registerRequestDeadlines(app, config);
  registerErrorHandler(app);
  registerInputGuards(app);
  registerMetrics(app, deps.metrics);
  registerAuth(app, services.auth, failedAuth);
  registerIdempotency(app, services.idempotency);

  await app.register(helmet, {
    // No inline scripts anywhere (the console, Swagger UI and bull-board load theirs from files);
    // Swagger UI and bull-board still use inline styles.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'", 'https:'],
        imgSrc: ["'self'", 'data:', 'https:'],
        fontSrc: ["'self'", 'data:', 'https:'],
      },
    },
  });
  await app.register(formbody);
  await app.register(rateLimit, {
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    // Counted in the process and summed in Redis every 100 ms: not a Redis script per request.
    store: syncedRateLimitStore(deps.queues.connection, `${config.QUEUE_PREFIX}:ratelimit:`),
    skipOnError: true, // Redis trouble must not take the API down with it
    // By the route matched, not the raw URL (`/%761/contacts` is /v1/contacts too). It runs after
    // the auth guard, so every request it counts carries a valid key; keyless ones are counted
    // per address by FailedAuthLimit.
    allowList: (request) => !request.routeOptions.url?.startsWith('/v1'),
    keyGenerator: (request) => {
      const token = bearerToken(request);
      return token ? hashApiKey(token) : request.ip;
    },
  });
  if (config.SWAGGER_ENABLED) await registerDocs(app, config.PUBLIC_BASE_URL);

  await app.register(healthRoutes({ database: deps.pingDatabase, redis: deps.queues.ping }, deps.liveness));
  for (const module of routeModules(deps)) await app.register(module);
  await registerQueueDashboard(app, { queues: deps.queues, auth: services.auth, failedAuth, publicBaseUrl: config.PUBLIC_BASE_URL });
  await registerConsole(app);

  return app;
}
