// The complexity-reduction page as plain data: the whole log (newest first), every condition by
// level with its state, distinguishing power, active decision and earlier decisions, the method-1
// suggestions (distinguishing power "none", never applied automatically) with a prefilled reason,
// and the lead's forms. Formatted for the reader's language, so the template only prints.
import { markdownToText, renderMarkdown } from '../lib/markdown.ts';
import type { AnalysisModel, ReductionEntry } from '../analysis/analysis.service.ts';
import { dropsCondition, REDUCTION_METHODS } from '../analysis/analysis.rules.ts';
import { formatNumber } from '../cases/cases.view.ts';
import type { FieldErrors } from '../http/forms.ts';
import type { Language, Translate } from '../lib/i18n.ts';
import { pager, paging, queryString, rangeText } from '../lib/paging.ts';
import type { ReductionPage } from './reduction.service.ts';

const minute = (iso: string | null) => (iso ? `${iso.replace('T', ' ').slice(0, 16)} UTC` : '');

/** A decision form put back with its problems (422). */
export interface Refused {
  code: string;
  errors: FieldErrors;
  values: Record<string, string>;
}

/** Decisions a page of the log shows. */
export const LOG_PAGE_SIZE = 25;

/** The log's filters and page (reduction.routes.ts parses them). */
export interface LogQuery {
  level?: number;
  condition?: string;
  method?: 1 | 2 | 3 | 4;
  state?: 'active' | 'reverted';
  page: number;
}

export function reductionView(data: ReductionPage, opts: { studyId: number; t: Translate; lang: Language; refused?: Refused; log?: LogQuery }) {
  const { model, framework } = data;
  const { t, lang, studyId } = opts;
  const base = `/studies/${studyId}/reduction`;
  const names = new Map(framework.conditions.map((c) => [c.code, c.name]));
  const parents = new Set(framework.conditions.flatMap((c) => (c.parent ? [c.parent] : [])));
  const stats = new Map(model.conditionStats.map((s) => [s.condition, s]));
  const active = new Map(model.reductions.map((r) => [r.condition, r]));
  const inGrouping = new Set(framework.groupings.flatMap((g) => g.members));
  const href = (code: string) => `${base}/${encodeURIComponent(code)}`;

  const entry = (r: ReductionEntry) => ({
    id: r.id,
    code: r.condition,
    name: names.get(r.condition) ?? '',
    method: r.method,
    methodLabel: t(`analysis.reduction.method.${r.method}`),
    reason: r.reason,
    /** The reason is Markdown: rendered in the log, as plain text inside a sentence. */
    reasonHtml: renderMarkdown(r.reason),
    reasonText: markdownToText(r.reason),
    decided: t('reduction.by', { name: r.decidedBy, at: minute(r.decidedAt) }),
    reverted: r.revertedAt ? t('reduction.by', { name: r.revertedBy ?? '', at: minute(r.revertedAt) }) : null,
  });

  const formValues = (code: string) => (opts.refused?.code === code ? opts.refused.values : { method: '', reason: '' });
  const formErrors = (code: string) => (opts.refused?.code === code ? opts.refused.errors : {});

  const conditions = framework.conditions
    .filter((c) => !parents.has(c.code))
    .map((c) => {
      const decision = active.get(c.code) ?? null;
      const s = stats.get(c.code);
      const state = decision === null ? 'analysed' : dropsCondition(decision.method) ? 'dropped' : 'grouped';
      return {
        code: c.code,
        name: c.name,
        level: c.level,
        kind: t(`framework.kind.${c.kind}`),
        state,
        stateText: decision === null ? t('reduction.state.analysed') : t(`reduction.state.${state as 'dropped' | 'grouped'}`, { method: t(`analysis.reduction.method.${decision.method}`) }),
        distinguishing: s?.distinguishing
          ? t(`analysis.distinguishing.${s.distinguishing}`)
          : state === 'dropped'
            ? t('reduction.distinguishing.dropped')
            : t(c.kind === 'measured' ? 'reduction.distinguishing.measured' : 'reduction.distinguishing.none'),
        distinguishingKey: s?.distinguishing ?? '',
        sd: s && s.sd !== null ? formatNumber(Math.round(s.sd * 100) / 100, lang) : '',
        n: s?.n ?? 0,
        active: decision ? entry(decision) : null,
        earlier: model.reductionLog.filter((r) => r.condition === c.code && r.revertedAt !== null).map(entry),
        decideHref: href(c.code),
        revertHref: `${href(c.code)}/revert`,
        methodOptions: [
          { value: '', label: t('reduction.chooseMethod') },
          ...REDUCTION_METHODS.filter((m) => m !== 3 || inGrouping.has(c.code)).map((m) => ({ value: String(m), label: t(`analysis.reduction.method.${m}`) })),
        ],
        values: formValues(c.code),
        errors: formErrors(c.code),
      };
    });

  const levelNames = new Map(framework.levels.map((l) => [l.number, l.name]));
  const levelNumbers = [...new Set(conditions.map((c) => c.level))].sort((a, b) => a - b);
  const levels = levelNumbers.map((number) => ({
    number,
    label: levelNames.get(number) ? t('crossCase.levelNamed', { number, name: levelNames.get(number)! }) : t('crossCase.level', { number }),
    conditions: conditions.filter((c) => c.level === number),
  }));

  // Method 1 suggestions: analysed rated conditions whose final values are all equal, without a decision.
  const suggestions = model.conditionStats
    .filter((s) => s.distinguishing === 'none' && !active.has(s.condition))
    .map((s) => {
      const cell = model.cases.map((k) => model.cells[k.key]?.[s.condition]).find((c) => c !== undefined);
      const value = cell ? formatNumber(cell.raw, lang) : '';
      return {
        code: s.condition,
        name: names.get(s.condition) ?? '',
        text: t('reduction.suggestion', { n: s.n, value }),
        reason: t('reduction.suggestionReason', { n: s.n, value }),
        decideHref: href(s.condition),
      };
    });

  // The log: filtered and paged here, as the analysis model reads the whole log anyway (one statement).
  const q: LogQuery = opts.log ?? { page: 1 };
  const levelOf = new Map(framework.conditions.map((c) => [c.code, c.level]));
  const matching = model.reductionLog.filter(
    (r) =>
      (q.level === undefined || levelOf.get(r.condition) === q.level) &&
      (q.condition === undefined || r.condition === q.condition) &&
      (q.method === undefined || r.method === q.method) &&
      (q.state === undefined || (q.state === 'active') === (r.revertedAt === null)),
  );
  const shown = paging(q.page, LOG_PAGE_SIZE, matching.length);
  const filterValues = { level: q.level, condition: q.condition, method: q.method, state: q.state };
  const logHref = (page: number) => `${base}${queryString({ ...filterValues, page: page > 1 ? page : null })}#reduction-log`;
  const decided = new Set(model.reductionLog.map((r) => r.condition));

  return {
    base,
    crossCaseHref: `/studies/${studyId}/cross-case`,
    log: matching.slice(shown.offset, shown.offset + shown.size).map(entry),
    logTotal: model.reductionLog.length,
    logFilter: {
      values: { level: q.level === undefined ? '' : String(q.level), condition: q.condition ?? '', method: q.method === undefined ? '' : String(q.method), state: q.state ?? '' },
      filtered: Object.values(filterValues).some((v) => v !== undefined),
      levels: [{ value: '', label: t('paging.all') }, ...levels.map((l) => ({ value: String(l.number), label: l.label }))],
      conditions: [{ value: '', label: t('paging.all') }, ...framework.conditions.filter((c) => decided.has(c.code)).map((c) => ({ value: c.code, label: `${c.code} ${c.name}` }))],
      methods: [{ value: '', label: t('paging.all') }, ...REDUCTION_METHODS.map((m) => ({ value: String(m), label: t(`analysis.reduction.method.${m}`) }))],
      states: [{ value: '', label: t('paging.all') }, { value: 'active', label: t('reduction.stateActive') }, { value: 'reverted', label: t('reduction.stateReverted') }],
    },
    logPager: pager(shown, logHref, rangeText(shown, t, lang)),
    levels,
    suggestions,
    withSubConditions: framework.conditions.filter((c) => parents.has(c.code)).map((c) => c.code),
    methods: REDUCTION_METHODS.map((m) => ({ label: t(`analysis.reduction.method.${m}`), text: t(`reduction.methodText.${m}`) })),
  };
}
export type ReductionView = ReturnType<typeof reductionView>;
