import { existsSync, readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// One vitest run for the whole monorepo: each package (and example) with a test/ folder is a project.
// Workspace packages resolve to their TypeScript sources through the `@distilbert/source` export condition,
// so tests never run against stale builds.
const roots = ['packages', 'examples'].flatMap((top) =>
  existsSync(top)
    ? readdirSync(top)
        .filter((d) => existsSync(`${top}/${d}/test`))
        .map((d) => `${top}/${d}`)
    : [],
);

const conditions = ['@distilbert/source', 'node', 'import', 'module', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@distilbert/source'] } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: roots.map((root) => ({
      extends: true,
      test: { name: root.split('/')[1], root, include: ['test/**/*.test.ts'] },
    })),
  },
});
