// Rules of the code base that a reviewer would otherwise have to remember.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentSchema, SCHEMA_FILE } from '../../scripts/dump-schema.ts';
import { ROOT } from '../helpers/processes.ts';

function filesUnder(dir: string, ending: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(ending))
    .map((f) => path.join(dir, f));
}

describe('house rules', () => {
  it('db/schema.sql is what the migrations produce (run `npm run schema` after adding one)', () => {
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(currentSchema());
  });

  it('only server/config.ts reads process.env', () => {
    const readers = filesUnder('server', '.ts').filter(
      (f) => f !== path.join('server', 'config.ts') && /process\.env/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')),
    );
    expect(readers).toEqual([]);
  });

  it('accounts are inserted only by users.repo.ts create, which writes the audit entry with them', () => {
    const inserters = ['server', 'scripts', 'bench']
      .flatMap((dir) => filesUnder(dir, '.ts'))
      .filter((f) => f !== path.join('server', 'users', 'users.repo.ts') && /INSERT\s+(OR\s+\w+\s+)?INTO\s+["'`]?users\b/i.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(inserters).toEqual([]);
  });

  it('views print unescaped output only for includes, the page body and SafeHtml values', () => {
    const allowed = /<%-\s*(include\(|body\s*%>|[\w.]+Html\s*%>)/;
    const offenders = filesUnder('views', '.ejs').flatMap((f) =>
      fs
        .readFileSync(path.join(ROOT, f), 'utf8')
        .split('\n')
        .flatMap((line, i) => [...line.matchAll(/<%-[^%]*%>/g)].filter((m) => !allowed.test(m[0])).map((m) => `${f}:${i + 1} ${m[0]}`)),
    );
    expect(offenders).toEqual([]);
  });

  it('views include partials by their path from the views folder (EJS then finds them without a file-system check per include)', () => {
    const offenders = filesUnder('views', '.ejs').flatMap((f) =>
      [...fs.readFileSync(path.join(ROOT, f), 'utf8').matchAll(/include\(\s*['"]([^'"]+)['"]/g)]
        .filter((m) => !m[1]!.startsWith('/') || !fs.existsSync(path.join(ROOT, 'views', `${m[1]}.ejs`)))
        .map((m) => `${f}: ${m[1]}`),
    );
    expect(offenders).toEqual([]);
  });

  it('no inline script or event-handler attributes in views (the CSP forbids them)', () => {
    const offenders = filesUnder('views', '.ejs').filter((f) => {
      const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
      return /<script(?![^>]*\bsrc=)[^>]*>/.test(text) || /\son(click|submit|change|load|input)=/i.test(text);
    });
    expect(offenders).toEqual([]);
  });

  it('every style sheet closes each block it opens (an open @media block swallows every rule after it)', () => {
    const unbalanced = filesUnder('public/css', '.css').filter((f) => {
      let depth = 0;
      for (const ch of fs.readFileSync(path.join(ROOT, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '')) {
        depth += ch === '{' ? 1 : ch === '}' ? -1 : 0;
        if (depth < 0) return true;
      }
      return depth !== 0;
    });
    expect(unbalanced).toEqual([]);
  });
});
