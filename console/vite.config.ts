import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The console is served by the API itself under /console (see src/http/console.plugin.ts). */
export default defineConfig({
  root: here,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 800,
  },
  server: {
    // `npx vite --config console/vite.config.ts` against a local API on :3000.
    proxy: { '/v1': 'http://127.0.0.1:3000' },
  },
});
