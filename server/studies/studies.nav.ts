// The study navigation as plain data: six groups that follow the research workflow (overview,
// framework, fieldwork, rating, analysis, the study itself), the current group's pages, and the
// breadcrumb study › group › page. views/studies/_nav.ejs draws it; who sees which page is decided
// here, once (the same rules the routes' access declarations enforce).
import type { MessageKey } from '../lib/i18n.ts';
import type { StudyRole } from './studies.repo.ts';

export type NavGroupKey = 'overview' | 'framework' | 'fieldwork' | 'rating' | 'analysis' | 'study';

export interface NavPage {
  key: string;
  label: MessageKey;
  href: string;
  /** 'page' on the page itself, 'true' on a page below it (a case under Cases), null elsewhere. */
  current: 'page' | 'true' | null;
}

export interface NavGroup {
  key: NavGroupKey;
  label: MessageKey;
  /** The group's first page the user may open. */
  href: string;
  current: boolean;
  pages: NavPage[];
}

export interface StudyNav {
  groups: NavGroup[];
  /** The current group (null on a page outside every group). */
  group: NavGroup | null;
  /** The current group's page the user is on or below (null when none is). */
  page: NavPage | null;
}

interface PageDef {
  key: string;
  label: MessageKey;
  path: string;
  /** Who sees the link (every member when absent). */
  show?: (who: { role: StudyRole; fieldwork: boolean }) => boolean;
}

const lead = ({ role }: { role: StudyRole }) => role === 'lead';
const rater = ({ role }: { role: StudyRole }) => role === 'lead' || role === 'researcher';
const fieldwork = ({ fieldwork }: { fieldwork: boolean }) => fieldwork;

const GROUPS: ReadonlyArray<{ key: NavGroupKey; label: MessageKey; pages: PageDef[] }> = [
  { key: 'overview', label: 'nav.group.overview', pages: [{ key: 'overview', label: 'studies.overview', path: '' }] },
  {
    key: 'framework',
    label: 'nav.group.framework',
    pages: [
      { key: 'framework', label: 'framework.title', path: '/framework' },
      { key: 'guides', label: 'nav.guides', path: '/guides' },
    ],
  },
  {
    key: 'fieldwork',
    label: 'nav.group.fieldwork',
    pages: [
      { key: 'cases', label: 'nav.cases', path: '/cases' },
      { key: 'interviews', label: 'interviews.title', path: '/interviews', show: fieldwork },
      { key: 'documents', label: 'documents.title', path: '/documents', show: fieldwork },
      { key: 'evidence', label: 'evidence.title', path: '/evidence', show: fieldwork },
      { key: 'coverage', label: 'coverage.title', path: '/coverage' },
    ],
  },
  {
    key: 'rating',
    label: 'nav.group.rating',
    pages: [
      { key: 'my-cases', label: 'myCases.link', path: '/my-cases' },
      { key: 'assignment', label: 'assignment.link', path: '/assignment', show: lead },
      { key: 'reconcile', label: 'reconcile.link', path: '/reconcile', show: rater },
      { key: 'agreement', label: 'agreement.link', path: '/agreement' },
    ],
  },
  {
    key: 'analysis',
    label: 'nav.group.analysis',
    pages: [
      { key: 'cross-case', label: 'crossCase.link', path: '/cross-case' },
      { key: 'reduction', label: 'reduction.link', path: '/reduction' },
      // Leads edit the templates (the page links the cross-case report); everyone else reads the report.
      { key: 'report-templates', label: 'nav.page.reports', path: '/report-templates', show: lead },
      { key: 'report', label: 'nav.page.reports', path: '/report', show: (w) => !lead(w) },
      { key: 'exports', label: 'exports.link', path: '/exports' },
    ],
  },
  {
    key: 'study',
    label: 'nav.group.study',
    pages: [
      { key: 'members', label: 'members.title', path: '/members' },
      { key: 'anonymisation', label: 'anonymise.link', path: '/anonymisation', show: lead },
      { key: 'audit', label: 'audit.title', path: '/audit', show: lead },
      { key: 'edit', label: 'nav.page.settings', path: '/edit', show: lead },
    ],
  },
];

/**
 * Where a path below the study belongs: its group and the page it is on or below. Pages of one case
 * belong to the part of the workflow they serve (its rating form to Rating, its analysis to Analysis).
 */
export function placeOf(rest: string): { group: NavGroupKey; page: string | null } | null {
  const caseSub = /^\/cases\/[^/]+\/([^/]+)/.exec(rest)?.[1];
  if (caseSub && !['edit'].includes(caseSub)) {
    if (caseSub === 'rate') return { group: 'rating', page: 'my-cases' };
    if (caseSub === 'ratings') return { group: 'rating', page: null };
    if (caseSub === 'analysis' || caseSub === 'report' || caseSub === 'report.docx') return { group: 'analysis', page: null };
    if (caseSub === 'documents') return { group: 'fieldwork', page: 'documents' };
    if (caseSub === 'coverage') return { group: 'fieldwork', page: 'coverage' };
  }
  const first = /^\/([^/.]+)/.exec(rest)?.[1] ?? '';
  switch (first) {
    case '':
      return { group: 'overview', page: 'overview' };
    case 'framework':
    case 'export':
      return { group: 'framework', page: 'framework' };
    case 'guides':
      return { group: 'framework', page: 'guides' };
    case 'cases':
    case 'interviews':
    case 'documents':
    case 'evidence':
    case 'coverage':
      return { group: 'fieldwork', page: first };
    case 'search':
      return { group: 'fieldwork', page: null };
    case 'my-cases':
    case 'assignment':
    case 'reconcile':
    case 'agreement':
      return { group: 'rating', page: first };
    case 'ratings':
      return { group: 'rating', page: 'assignment' };
    case 'cross-case':
    case 'reduction':
    case 'exports':
    case 'report-templates':
      return { group: 'analysis', page: first };
    case 'members':
    case 'anonymisation':
    case 'audit':
    case 'edit':
      return { group: 'study', page: first };
    default:
      return null;
  }
}

/** The navigation of study `studyId` for a member with `role` on `currentPath`. */
export function studyNav(studyId: number, role: StudyRole, fieldworkOpen: boolean, currentPath: string): StudyNav {
  const base = `/studies/${studyId}`;
  const rest = currentPath === base || currentPath.startsWith(`${base}/`) ? currentPath.slice(base.length).replace(/\/$/, '') : null;
  const place = rest === null ? null : placeOf(rest);
  const who = { role, fieldwork: fieldworkOpen };
  let currentGroup: NavGroup | null = null;
  let currentPage: NavPage | null = null;
  const groups: NavGroup[] = [];
  for (const g of GROUPS) {
    const pages: NavPage[] = [];
    for (const p of g.pages) {
      if (p.show && !p.show(who)) continue;
      const isHere = place?.group === g.key && place.page === p.key;
      const page: NavPage = { key: p.key, label: p.label, href: base + p.path, current: isHere ? (rest === p.path ? 'page' : 'true') : null };
      if (isHere) currentPage = page;
      pages.push(page);
    }
    if (pages.length === 0) continue;
    const group: NavGroup = { key: g.key, label: g.label, href: pages[0]!.href, current: place?.group === g.key, pages };
    if (group.current) currentGroup = group;
    groups.push(group);
  }
  return { groups, group: currentGroup, page: currentPage };
}
