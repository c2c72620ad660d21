// Plain data for the exports page: every download with its links, each carrying the anonymised switch.
import type { MessageKey } from '../lib/i18n.ts';
import { CSV_TABLES, type CsvTable } from './exports.service.ts';

export interface ExportLink {
  label: MessageKey;
  href: string;
}

export interface ExportRow {
  title: MessageKey;
  text: MessageKey;
  links: ExportLink[];
}

export function exportsView(studyId: number, anonymised: boolean, isLead: boolean) {
  const base = `/studies/${studyId}`;
  const q = anonymised ? '?anonymised=1' : '';
  const csvOf = (workbook: string) => (Object.keys(CSV_TABLES) as CsvTable[]).filter((t) => CSV_TABLES[t] === workbook);
  const tableLinks = (workbook: string): ExportLink[] =>
    csvOf(workbook).map((t) => ({ label: `exports.csv.${t}` as MessageKey, href: `${base}/exports/${t}.csv${q}` }));
  const xlsx = (workbook: string): ExportLink => ({ label: 'exports.xlsx', href: `${base}/exports/${workbook}.xlsx${q}` });
  const rows: ExportRow[] = [
    { title: 'exports.ratings', text: 'exports.ratingsText', links: [{ label: 'exports.csv', href: `${base}/ratings.csv${q}` }, xlsx('ratings')] },
    { title: 'exports.finalScores', text: 'exports.finalScoresText', links: [{ label: 'exports.csv', href: `${base}/final-scores.csv${q}` }, xlsx('final-scores')] },
    { title: 'exports.classes', text: 'exports.classesText', links: [...tableLinks('classes'), xlsx('classes')] },
    { title: 'exports.analysis', text: 'exports.analysisText', links: [...tableLinks('analysis'), xlsx('analysis')] },
    {
      title: 'exports.agreement',
      text: 'exports.agreementText',
      links: [{ label: 'exports.csv', href: `${base}/agreement.csv${q}` }, { label: 'exports.json', href: `${base}/agreement.json${q}` }, xlsx('agreement')],
    },
  ];
  if (isLead) rows.push({ title: 'exports.study', text: 'exports.studyText', links: [{ label: 'exports.json', href: `${base}/exports/study.json${q}` }] });
  return {
    anonymised,
    rows,
    action: `${base}/exports`,
    anonymisationHref: isLead ? `${base}/anonymisation` : null,
  };
}
