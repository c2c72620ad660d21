// Framework templates a new study can start from: the bijstand framework of report 000 (codes and
// names as in the report, texts in our own words), or an empty one.
import fs from 'node:fs';
import path from 'node:path';
import type { MessageKey } from '../lib/i18n.ts';
import { ROOT } from '../lib/root.ts';
import type { StudyFile } from '../studyfile/studyfile.schema.ts';
import { validateStudyFile } from '../studyfile/studyfile.validate.ts';

const DIR = path.join(ROOT, 'server', 'framework', 'templates');

export const TEMPLATES = [
  { id: 'empty', labelKey: 'templates.empty' },
  { id: 'bijstand', labelKey: 'templates.bijstand' },
] as const satisfies readonly { id: string; labelKey: MessageKey }[];
export type TemplateId = (typeof TEMPLATES)[number]['id'];

const cache = new Map<string, StudyFile>();

/** The template as a validated study file, or null for the empty framework. */
export function loadTemplate(id: TemplateId): StudyFile | null {
  if (id === 'empty') return null;
  let doc = cache.get(id);
  if (!doc) {
    const result = validateStudyFile(JSON.parse(fs.readFileSync(path.join(DIR, `${id}.json`), 'utf8')));
    if (!result.ok) throw new Error(`template ${id} is not a valid study file: ${JSON.stringify(result.problems.slice(0, 3))}`);
    doc = result.doc;
    cache.set(id, doc);
  }
  return structuredClone(doc);
}
