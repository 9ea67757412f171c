import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * One access-log line per request (method, url, client, status, time) instead of Fastify's two
 * ("incoming request" + "request completed"): at info level the pair cost ~15 % of an API write's
 * CPU (two JSON lines, two write syscalls). Errors and every other Fastify log stay as they were.
 */
export class OneLineRequestLog extends LogController {
  override incomingRequest(): void {
    // Folded into the completion line below.
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    const fields = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else reply.log.info(fields, 'request completed');
  }
}
