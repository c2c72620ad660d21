// Access to documents: members list and download, researchers and leads upload, leads delete.
import fs from 'node:fs';
import path from 'node:path';
import type { TestContext } from '../../helpers/app.ts';
import { fieldwork, leads, members, researchers, type AccessSection } from './personas.ts';

function addDocument(ctx: TestContext, studyId: number): string {
  fs.mkdirSync(ctx.config.uploadsDir, { recursive: true });
  const file = path.join(ctx.config.uploadsDir, `access-${Date.now()}-${Math.random()}.part`);
  fs.writeFileSync(file, 'plain text evidence');
  const upload = { path: file, size: 19, sha256: 'not checked here', originalName: 'plan.txt' };
  return ctx.services.documents.add(studyId, 'doc-case', { title: 'Plan', kind: '', date: null }, upload, null).key;
}

export const documents: AccessSection = {
  table: {
    'GET /studies/:id/documents': fieldwork,
    'GET /studies/:id/cases/:case/documents': fieldwork,
    'POST /studies/:id/cases/:case/documents': researchers,
    'GET /studies/:id/documents/:doc/download': fieldwork,
    'POST /studies/:id/documents/:doc/delete': leads,
  },
  setUp(ctx, study) {
    ctx.services.repos.cases.insert(study.id, { key: 'doc-case', name: 'Documented', pseudonym: null, group: '', attributes: {}, selectionReason: '' }, 98, '2026-01-01T00:00:00Z');
    return { case: 'doc-case', doc: addDocument(ctx, study.id) };
  },
  restore(ctx, route, params) {
    if (route.endsWith('/delete') && !ctx.services.repos.documents.findByKey(Number(params.id), params.doc!)) params.doc = addDocument(ctx, Number(params.id));
  },
};
