import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const PREFIX = '\0node-builtin:';

/**
 * The packages import Node modules for their disk loaders (fs, path, url) and Node-only paths (worker
 * threads, os). The page never calls those, but the bundle must still link: each builtin becomes a module
 * whose every export throws when called. `fileURLToPath` works, because @distilbert/pipelines calls it when
 * it loads (the path of its shipped fallback checkpoint).
 */
function nodeBuiltinsUnavailable(): Plugin {
  return {
    name: 'node-builtins-unavailable',
    enforce: 'pre',
    resolveId(id) {
      // Named imports resolve to properties of `exports` (rollup's synthetic named exports).
      if (BUILTINS.has(id)) return { id: PREFIX + id, syntheticNamedExports: 'exports' };
      return null;
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const name = JSON.stringify(id.slice(PREFIX.length));
      return `
        const unavailable = (key) => () => { throw new Error(${name} + '.' + String(key) + ' is not available in a browser.'); };
        const known = { fileURLToPath: (url) => new URL(url).pathname, pathToFileURL: (path) => new URL('file://' + path) };
        export const exports = new Proxy(known, { get: (target, key) => (key in target ? target[key] : unavailable(key)) });
        export default exports;`;
    },
  };
}

export default defineConfig({
  plugins: [nodeBuiltinsUnavailable()],
  resolve: {
    // Compile the workspace packages from their TypeScript sources, as the tests do.
    conditions: ['@distilbert/source', 'browser', 'module', 'import', 'default'],
    // The hub client is disk-only (the Hugging Face cache); the page fetches model files itself.
    alias: { '@distilbert/hub': fileURLToPath(new URL('./src/shims/hub.ts', import.meta.url)) },
  },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
