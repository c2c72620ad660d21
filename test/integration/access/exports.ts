// Access to exports: every member downloads the tables (they follow blinding, as the pages do); the
// whole study file stays with leads, as /export.json.
import { leads, members, type AccessSection } from './personas.ts';

export const exportsSection: AccessSection = {
  table: {
    'GET /studies/:id/exports': members,
    'GET /studies/:id/exports/:table.csv': members,
    'GET /studies/:id/exports/:workbook.xlsx': members,
    'GET /studies/:id/exports/study.json': leads,
  },
  setUp: () => ({ table: 'analysis-cases', workbook: 'analysis' }),
};
