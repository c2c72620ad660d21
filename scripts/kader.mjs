// `npm run kader`: starts the command line (scripts/kader.ts) from one bundled file. Loading its
// two hundred TypeScript modules one by one through tsx costs about half a second per command; a
// bundle made by esbuild (which tsx itself uses) loads in a fraction of that. The bundle is kept in
// node_modules/.cache/kader/ and rebuilt when a file under server/ or scripts/ is newer than it.
// Where that folder cannot be written, the command runs through tsx as before.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = path.join(ROOT, 'scripts', 'kader.ts');
const BUNDLE = path.join(ROOT, 'node_modules', '.cache', 'kader', 'kader.mjs');
const SOURCES = ['server', 'scripts'].map((dir) => path.join(ROOT, dir));

/** The newest modification time of a TypeScript file under `dir`, or of a folder (a file added or removed). */
function newestSource(dir) {
  let newest = fs.statSync(dir).mtimeMs;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(file));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(file).mtimeMs);
  }
  return newest;
}

function bundleIsCurrent() {
  if (!fs.existsSync(BUNDLE)) return false;
  const built = fs.statSync(BUNDLE).mtimeMs;
  return SOURCES.every((dir) => newestSource(dir) <= built);
}

/** Builds the bundle beside its place and moves it there, so a concurrent run never reads half a file. */
async function buildBundle() {
  const { build } = await import('esbuild');
  const started = new Date();
  const partial = `${BUNDLE}.${process.pid}.partial`;
  fs.mkdirSync(path.dirname(BUNDLE), { recursive: true });
  await build({ entryPoints: [ENTRY], outfile: partial, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error' });
  // Dated at the start of the build: a source saved while it ran is newer, so the next run rebuilds.
  fs.utimesSync(partial, started, started);
  fs.renameSync(partial, BUNDLE);
}

let entry = pathToFileURL(BUNDLE).href;
try {
  if (!bundleIsCurrent()) await buildBundle();
} catch (err) {
  if (!['EACCES', 'EROFS', 'EPERM'].includes(err?.code)) throw err;
  const { register } = await import('tsx/esm/api');
  register();
  entry = pathToFileURL(ENTRY).href;
}
await import(entry);
