// The project's folder (package.json, db/, views/, public/), found by walking up from this file, so the
// paths hold both when the code runs from its own files and when it runs bundled (the command line
// runs from one bundle in node_modules/.cache; see scripts/kader.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'db', 'migrations'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`Kader's folder (with package.json and db/migrations) is not above ${from}`);
  }
}

export const ROOT = projectRoot(path.dirname(fileURLToPath(import.meta.url)));
