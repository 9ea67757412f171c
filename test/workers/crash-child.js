// Runs test/workers/crash-worker.ts in a plain Node process (no TypeScript runner is installed):
// a tiny require hook compiles each .ts file with SWC, the same compiler Jest uses.
const { readFileSync } = require('node:fs');
const swc = require('@swc/core');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = swc.transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};

require('./crash-worker.ts');
