// Writes the package.json/tsconfig pair every workspace package shares. Used once per package.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';

const [dir, name, description, depsJson = '{}', extraJson = '{}'] = process.argv.slice(2);
mkdirSync(`${dir}/src`, { recursive: true });
mkdirSync(`${dir}/test`, { recursive: true });
const extra = JSON.parse(extraJson);
const exportsMap = {
  '.': { '@distilbert/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
};
for (const sub of extra.subpaths ?? []) {
  exportsMap[`./${sub}`] = {
    '@distilbert/source': `./src/${sub}/index.ts`,
    types: `./dist/${sub}/index.d.ts`,
    default: `./dist/${sub}/index.js`,
  };
}
const pkg = {
  name,
  version: '0.1.0',
  description,
  license: 'Apache-2.0',
  type: 'module',
  sideEffects: false,
  exports: exportsMap,
  main: './dist/index.js',
  types: './dist/index.d.ts',
  ...(extra.bin ? { bin: extra.bin } : {}),
  files: ['dist', 'README.md'],
  engines: { node: '>=20.19' },
  scripts: {
    build: 'tsc -p tsconfig.build.json',
    typecheck: 'tsc -p tsconfig.json --noEmit',
    ...(extra.scripts ?? {}),
  },
  dependencies: JSON.parse(depsJson),
  devDependencies: extra.devDependencies ?? {},
  publishConfig: { access: 'public' },
  repository: { type: 'git', url: 'https://github.com/distilbert-ts/distilbert.ts', directory: dir },
};
writeFileSync(`${dir}/package.json`, JSON.stringify(pkg, null, 2) + '\n');
writeFileSync(
  `${dir}/tsconfig.json`,
  JSON.stringify(
    { extends: '../../tsconfig.base.json', compilerOptions: { noEmit: true }, include: ['src', 'test'] },
    null,
    2,
  ) + '\n',
);
writeFileSync(
  `${dir}/tsconfig.build.json`,
  JSON.stringify(
    {
      extends: '../../tsconfig.base.json',
      compilerOptions: { rootDir: 'src', outDir: 'dist' },
      include: ['src'],
    },
    null,
    2,
  ) + '\n',
);
if (!existsSync(`${dir}/src/index.ts`)) writeFileSync(`${dir}/src/index.ts`, 'export {};\n');
