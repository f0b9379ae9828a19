// Bundles the CLI into dist/ so the bin starts from plain JavaScript: no TypeScript loader at
// run time, and one file for kysely's many modules. Commands are split into chunks that load
// only when invoked. better-sqlite3 stays external: it is a native addon.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

// `--outdir dist-x` builds elsewhere (inside the project, so schema/ and node_modules are found),
// letting parallel work test its own build.
const at = process.argv.indexOf('--outdir');
const outdir = at > 0 ? process.argv[at + 1] : 'dist';
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { main: 'src/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3'],
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies bundled into ESM need a real `require`.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
