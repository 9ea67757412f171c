import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * The project root: the nearest folder above this file holding our package.json. This file runs
 * both from `src/http` (tests, SWC) and from `dist/src/http` (built), so a fixed `../..` would be wrong once.
 */
function projectRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'carebeat') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

export const CONSOLE_DIR = path.join(projectRoot(), 'dist', 'console');

/**
 * Serves the web console (built by `npm run build:console`) under /console. It is a single-page
 * app, so any path under /console that is not a file answers index.html and the browser routes it;
 * hashed assets are cached for good, index.html never (it names the current assets).
 */
export async function registerConsole(app: FastifyInstance, root: string = CONSOLE_DIR): Promise<void> {
  app.get('/console', { schema: { hide: true } }, (_request, reply) => reply.redirect('/console/'));
  await app.register(async (scope) => {
    if (!existsSync(path.join(root, 'index.html'))) {
      scope.get('/*', { schema: { hide: true } }, (_request, reply) =>
        reply.code(503).type('text/plain').send('The console is not built: run `npm run build:console`.'));
      return;
    }
    await scope.register(fastifyStatic, {
      root,
      prefix: '/',
      schemaHide: true,
      setHeaders(reply, filePath) {
        const hashed = filePath.includes(`${path.sep}assets${path.sep}`);
        reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    scope.setNotFoundHandler((request, reply) => {
      // A missing asset is a real 404; anything else is a console page the browser routes.
      if (request.method !== 'GET' || request.url.startsWith('/console/assets/')) return reply.code(404).send({ error: { code: 'not_found', message: 'not found', details: [] } });
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    });
  }, { prefix: '/console' });
}
