// The study dashboard and "Waiting for you" as plain data for the templates: labels, links and bars,
// the phase filter and order, one page of the matrix. No logic is left for the templates.
import { pager, paging } from '../lib/paging.ts';
import type { MessageKey, Params, Translate } from '../lib/i18n.ts';
import type { DashboardCase, Waiting } from './dashboard.service.ts';
import { filterAndSort, PAGE_SIZE, PHASES, SORTS, type NextAction, type Phase, type Sort } from './dashboard.rules.ts';
import type { StudyRole } from './studies.repo.ts';

/** `key.one` for a count of one, else `key`, with `count` among the parameters. */
function counted(t: Translate, key: string, count: number, params: Params = {}): string {
  return t((count === 1 ? `${key}.one` : key) as MessageKey, { count, ...params });
}

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '');

export interface Link {
  text: string;
  href: string | null;
}

export interface Bar {
  label: string;
  done: number;
  total: number;
  text: string;
}

export interface DashboardQuery {
  phase?: Phase;
  sort: Sort;
  page: number;
}

export function dashboardView(
  cases: DashboardCase[],
  query: DashboardQuery,
  ctx: { studyId: number; role: StudyRole; readsFieldwork: boolean; t: Translate; collator: Intl.Collator },
) {
  const { studyId, role, readsFieldwork, t } = ctx;
  const base = `/studies/${studyId}`;
  const caseBase = (key: string) => `${base}/cases/${encodeURIComponent(key)}`;
  const lead = role === 'lead';
  const researcher = role === 'lead' || role === 'researcher';
  const urlOf = (q: { phase?: Phase; sort: Sort; page?: number }) => {
    const p = new URLSearchParams();
    if (q.phase) p.set('phase', q.phase);
    if (q.sort !== 'case') p.set('sort', q.sort);
    if (q.page && q.page > 1) p.set('page', String(q.page));
    const s = p.toString();
    return s ? `${base}?${s}` : base;
  };

  // Study-level bars: cases and items only, nothing per rater.
  const total = cases.length;
  const interviews = cases.reduce((n, c) => n + c.fieldwork.interviews, 0);
  const items = cases.reduce((n, c) => n + (c.items?.total ?? 0), 0);
  const casesBar = (label: MessageKey, done: number): Bar => ({ label: t(label), done, total, text: t('dashboard.bar.cases.text', { done, total }) });
  const approved = cases.reduce((n, c) => n + c.fieldwork.approved, 0);
  const final = cases.reduce((n, c) => n + (c.items?.final ?? 0), 0);
  const bars: Bar[] = [
    { label: t('dashboard.bar.fieldwork'), done: approved, total: interviews, text: t('dashboard.bar.fieldwork.text', { done: approved, total: interviews }) },
    casesBar('dashboard.bar.raters', cases.filter((c) => c.phase !== 'fieldwork').length),
    casesBar('dashboard.bar.rating', cases.filter((c) => c.state.allSubmitted).length),
    { label: t('dashboard.bar.reconciliation'), done: final, total: items, text: t('dashboard.bar.items.text', { done: final, total: items }) },
    casesBar('dashboard.bar.signedOff', cases.filter((c) => c.phase === 'signed-off').length),
    casesBar('dashboard.bar.analysed', cases.filter((c) => c.state.explanationDegree !== null).length),
  ];

  const phases = [undefined, ...PHASES].map((phase) => ({
    label: t(phase ? `dashboard.phase.${phase}` : 'dashboard.phase.all'),
    count: phase ? cases.filter((c) => c.phase === phase).length : total,
    href: urlOf({ phase, sort: query.sort }),
    current: phase === query.phase,
  }));

  const chosen = filterAndSort(cases, query.phase ?? null, query.sort, ctx.collator);
  const shown = paging(query.page, PAGE_SIZE, chosen.length);
  const range = t('dashboard.pageOf', { from: shown.from, to: shown.to, total: chosen.length });

  const nextLink = (c: DashboardCase, next: NextAction): Link => {
    const href = caseBase(c.key);
    switch (next.kind) {
      case 'log-interview':
        return { text: t('dashboard.next.log-interview'), href: `${base}/interviews/new?case=${encodeURIComponent(c.key)}` };
      case 'assign-raters':
        return { text: t('dashboard.next.assign-raters'), href: `${base}/assignment#case-${encodeURIComponent(c.key)}` };
      case 'rate':
        return { text: t('dashboard.next.rate'), href: `${href}/rate` };
      case 'follow-ratings':
        return { text: t('dashboard.next.follow-ratings'), href: `${href}/ratings` };
      case 'reconcile':
        return { text: counted(t, 'dashboard.next.reconcile', next.open), href: `${base}/reconcile?case=${encodeURIComponent(c.key)}` };
      case 'sign-off':
      case 'sign-off-again':
        return { text: t(`dashboard.next.${next.kind}`), href: `${base}/reconcile?case=${encodeURIComponent(c.key)}#cases` };
      case 'record-degree':
      case 'view-analysis':
        return { text: t(`dashboard.next.${next.kind}`), href: `${href}/analysis` };
      case 'wait':
        return { text: t(`dashboard.wait.${next.on}`), href: null };
    }
  };

  const rows = chosen.slice(shown.offset, shown.offset + shown.size).map((c) => {
    const href = caseBase(c.key);
    const f = c.fieldwork;
    const reconcileHref = lead || c.raters.some((r) => r.own) ? `${base}/reconcile?case=${encodeURIComponent(c.key)}` : null;
    return {
      key: c.key,
      name: c.name,
      href,
      phase: c.phase,
      phaseLabel: t(`dashboard.phase.${c.phase}`),
      fieldwork: {
        interviews: {
          text: f.interviews ? counted(t, 'dashboard.interviews', f.interviews, { held: f.held }) : t('dashboard.interviews.none'),
          href: readsFieldwork ? `${href}#interviews-heading` : null,
        },
        approved: f.interviews ? t('dashboard.approved', { count: f.approved }) : null,
        documents: { text: counted(t, 'dashboard.documents', f.documents), href: readsFieldwork ? `${href}/documents` : null },
        gaps: { text: f.gaps ? counted(t, 'dashboard.gaps', f.gaps) : t('dashboard.gaps.none'), href: `${href}/coverage`, warn: f.gaps > 0 },
      },
      raters: c.raters.map((r) => ({
        name: r.name,
        own: r.own,
        progress: r.progress && {
          ...r.progress,
          text: t('dashboard.rated', { rated: r.progress.rated, total: r.progress.total }),
          drafts: r.progress.drafts ? counted(t, 'dashboard.drafts', r.progress.drafts) : null,
        },
      })),
      assign: c.raters.length === 0 && lead ? { text: t('dashboard.next.assign-raters'), href: `${base}/assignment#case-${encodeURIComponent(c.key)}` } : null,
      items: c.items && {
        text: t('dashboard.items', { open: c.items.open, final: c.items.final }),
        href: reconcileHref,
        open: c.items.open,
      },
      signOff: {
        ...(c.phase === 'signed-off'
          ? { text: t('dashboard.signedOff'), date: day(c.signedOffAt), state: 'signed' }
          : c.phase !== 'reconciliation'
            ? { text: t('dashboard.notYet'), state: 'none' }
            : c.state.changedAfterSignOff
              ? { text: t('dashboard.changed'), state: 'changed' }
              : { text: t('dashboard.notSigned'), state: 'due' }),
        // The sign-off lives on the reconciliation page, for the lead and the case's raters.
        href: c.items && reconcileHref ? `${reconcileHref}#cases` : null,
      },
      degree: {
        text: c.state.explanationDegree ? t(`analysis.degree.${c.state.explanationDegree}` as MessageKey) : t('within.degree.none'),
        href: `${href}/analysis`,
        set: c.state.explanationDegree !== null,
      },
      next: { ...nextLink(c, c.next), kind: c.next.kind },
    };
  });

  return {
    bars,
    phases,
    sorts: SORTS.map((s) => ({ value: s, label: t(`dashboard.sort.${s}`) })),
    query,
    caption: query.phase ? t('dashboard.caption.phase', { phase: t(`dashboard.phase.${query.phase}`) }) : t('dashboard.caption'),
    rows,
    total,
    range,
    pager: pager(shown, (page) => urlOf({ ...query, page }), range),
    canAddCase: researcher,
  };
}
export type DashboardView = ReturnType<typeof dashboardView>;

/** The most entries a list of "Waiting for you" shows; the rest are counted per study with a link. */
export const WAITING_SHOWN = 8;

export function waitingView(w: Waiting, t: Translate) {
  const caseHref = (studyId: number, key: string) => `/studies/${studyId}/cases/${encodeURIComponent(key)}`;
  const reconcileHref = (studyId: number, key: string) => `/studies/${studyId}/reconcile?case=${encodeURIComponent(key)}`;
  const manyStudies = new Set([...w.toRate, ...w.toDiscuss, ...w.toSignOff].map((r) => r.studyId)).size > 1;
  const list = <T extends { studyId: number; studyTitle: string }>(rows: T[], phase: Phase, entry: (r: T) => object) => {
    const more = new Map<number, { study: string; count: number }>();
    for (const r of rows.slice(WAITING_SHOWN)) {
      const m = more.get(r.studyId) ?? { study: r.studyTitle, count: 0 };
      m.count++;
      more.set(r.studyId, m);
    }
    return {
      count: rows.length,
      // The study is named only when what waits comes from more than one study.
      entries: rows.slice(0, WAITING_SHOWN).map((r) => ({ study: manyStudies ? r.studyTitle : null, studyHref: `/studies/${r.studyId}`, ...entry(r) })),
      more: [...more].map(([id, m]) => ({ text: t('waiting.more', { count: m.count, study: m.study }), href: `/studies/${id}?phase=${phase}` })),
    };
  };
  const lists = [
    {
      id: 'to-rate',
      title: t('waiting.toRate'),
      ...list(w.toRate, 'rating', (r) => ({
        action: { text: t('ratings.link'), href: `${caseHref(r.studyId, r.caseKey)}/rate` },
        caseName: r.caseName,
        progress: { done: Math.min(r.rated, r.total), total: r.total },
        // Ratings are drafts until the whole case is submitted, so "rated" says it all.
        detail: t('waiting.rated', { rated: r.rated, total: r.total }),
      })),
    },
    {
      id: 'to-discuss',
      title: t('waiting.toDiscuss'),
      ...list(w.toDiscuss, 'reconciliation', (r) => ({
        action: { text: counted(t, 'dashboard.next.reconcile', r.open), href: reconcileHref(r.studyId, r.caseKey) },
        caseName: r.caseName,
        progress: null,
        detail: '',
      })),
    },
    {
      id: 'to-sign-off',
      title: t('waiting.toSignOff'),
      ...list(w.toSignOff, 'reconciliation', (r) => ({
        action: { text: t(r.again ? 'dashboard.next.sign-off-again' : 'dashboard.next.sign-off'), href: `${reconcileHref(r.studyId, r.caseKey)}#cases` },
        caseName: r.caseName,
        progress: null,
        detail: r.again ? t('waiting.again') : '',
      })),
    },
  ];
  return { lists: lists.filter((l) => l.count > 0), nothing: lists.every((l) => l.count === 0) };
}
export type WaitingView = ReturnType<typeof waitingView>;
