// The within-case analysis page as plain data: the case's diagram (classes as colour AND text,
// relations solid / dashed / not drawn by verdict), the verdict table, the level-pair strengths, the
// "skip level 1" view, the final scores with favourability and class, open and dropped conditions,
// the rules in words for this study's settings, and the explanation degree with the suggestion.
// Everything is formatted here for the reader's language, so the template only prints.
import type { AnalysisCase, AnalysisModel, Cell, LevelPair } from '../analysis/analysis.service.ts';
import type { ClassName, ExplanationDegree, Verdict } from '../analysis/analysis.rules.ts';
import { absoluteClass, EXPLANATION_DEGREES } from '../analysis/analysis.rules.ts';
import { formatNumber } from '../cases/cases.view.ts';
import { frameworkDiagram, type RelationStyle } from '../framework/framework.diagram.ts';
import type { Language, Translate } from '../lib/i18n.ts';
import { renderMarkdown, type SafeHtml } from '../lib/markdown.ts';
import type { Framework } from '../studyfile/studyfile.schema.ts';
import type { WithinCasePage } from './within.service.ts';

const LOCALES: Record<Language, string> = { en: 'en-GB', nl: 'nl-NL' };

/** How a verdict is drawn in the diagram (seed 000 E.3): solid, dashed, or not at all. */
export const VERDICT_STYLE: Record<Verdict, RelationStyle> = { applies: 'solid', possibly: 'dashed', unlikely: 'none', unknown: 'none' };

const minute = (iso: string | null) => (iso ? iso.replace('T', ' ').slice(0, 16) : null);

export interface ConditionRef {
  code: string;
  name: string;
}

export interface ClassView {
  /** 'none': no value. */
  key: ClassName | 'none';
  label: string;
  /** The short text of the diagram (L/M/H, or "no value"). */
  mark: string;
}

export function withinCaseView(data: WithinCasePage, opts: { studyId: number; t: Translate; lang: Language; canReconcile: boolean }) {
  const { model, framework } = data;
  const { t, lang, studyId } = opts;
  const c = data.case;
  const caseHref = `/studies/${studyId}/cases/${encodeURIComponent(c.key)}`;
  const strengthFormat = new Intl.NumberFormat(LOCALES[lang], { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const strengthText = (s: number | null) => (s === null ? t('within.noStrength') : strengthFormat.format(s));
  const names = new Map(framework.conditions.map((k) => [k.code, k.name]));
  const ref = (code: string): ConditionRef => ({ code, name: names.get(code) ?? '' });
  const cells: Record<string, Cell> = c.ready ? (model.cells[c.key] ?? {}) : {};
  const classOf = (code: string): ClassView => {
    const cls = cells[code]?.class;
    return cls
      ? { key: cls, label: t(`analysis.class.${cls}`), mark: t(`within.mark.${cls}`) }
      : { key: 'none', label: t('within.noValue'), mark: t('within.noValue') };
  };
  const verdictLabel = (v: Verdict) => t(`analysis.verdict.${v}`);
  const pairView = (p: LevelPair | undefined, from: number, to: number) => ({
    from,
    to,
    label: t('within.levelPair', { from, to }),
    relations: p?.relations ?? 0,
    applies: p?.applies ?? 0,
    possibly: p?.possibly ?? 0,
    unlikely: p?.unlikely ?? 0,
    unknown: p?.unknown ?? 0,
    strength: strengthText(p?.strength ?? null),
    strengthLabel: p?.label ? t(`analysis.degree.${p.label}`) : t('within.noStrength'),
  });

  // Relations of this case, each with the classes of both ends and how the diagram draws it.
  const relations = c.ready
    ? model.relations
        .filter((r) => r.case === c.key)
        .map((r) => ({
          from: ref(r.from),
          to: ref(r.to),
          fromClass: classOf(r.from),
          toClass: classOf(r.to),
          feedback: r.feedback,
          verdict: r.verdict,
          verdictLabel: verdictLabel(r.verdict),
          drawn: t(`within.drawn.${VERDICT_STYLE[r.verdict]}`),
        }))
    : [];

  const levelPairs = c.ready ? model.levelPairs.filter((p) => p.case === c.key).map((p) => pairView(p, p.from, p.to)) : [];

  // Skip level 1: level-2 conditions compared directly with level 0 where their chain runs through level 1.
  const chains = c.ready
    ? model.skipLevel1.verdicts
        .filter((v) => v.case === c.key)
        .map((v) => ({
          from: ref(v.from),
          to: ref(v.to),
          via: v.via.map(ref),
          direct: v.direct,
          fromClass: classOf(v.from),
          toClass: classOf(v.to),
          verdict: v.verdict,
          verdictLabel: verdictLabel(v.verdict),
        }))
    : [];
  const ownPair = (from: number, to: number) => model.levelPairs.find((p) => p.case === c.key && p.from === from && p.to === to);
  const skipPairs = c.ready
    ? [
        { ...pairView(ownPair(2, 1), 2, 1), route: t('within.skip.route21') },
        { ...pairView(ownPair(1, 0), 1, 0), route: t('within.skip.route10') },
        { ...pairView(model.skipLevel1.levelPairs.find((p) => p.case === c.key), 2, 0), route: t('within.skip.route20') },
      ]
    : [];

  // Final values per analysed condition.
  const scores = model.conditions.map((k) => {
    const cell = cells[k.code];
    const open = c.open.includes(k.code);
    return {
      code: k.code,
      name: k.name,
      level: k.level,
      kind: t(`framework.kind.${k.kind}`),
      polarity: t(`framework.polarity.${k.polarity}`),
      status: cell ? ('value' as const) : open ? ('open' as const) : ('none' as const),
      value: cell ? formatNumber(cell.raw, lang) : '',
      source: cell ? t(`within.source.${cell.source}`) : open ? t('within.openItem') : t(k.kind === 'measured' ? 'within.none.measured' : 'within.none.rated'),
      favourability: cell ? formatNumber(cell.favourability, lang) : '',
      class: classOf(k.code),
    };
  });

  const reductionOf = new Map(model.reductions.map((r) => [r.condition, r]));
  const dropped = model.excluded.dropped.map((code) => {
    const r = reductionOf.get(code);
    return { ...ref(code), method: r ? t(`analysis.reduction.method.${r.method}`) : '', reason: r?.reason ?? '' };
  });

  const { min, max } = model.study.scale;
  const absolute = model.study.classification === 'absolute';
  const mapping = absolute ? absoluteMapping(min, max, lang, t) : '';
  const rules = [
    { term: t('within.rule.favourability'), text: t('within.rule.favourabilityText', { min, max, sum: min + max }) },
    {
      term: t('within.rule.classes'),
      text: absolute ? t('within.rule.classesAbsolute', { min, max, mapping }) : t('within.rule.classesRelative'),
    },
    { term: t('within.rule.verdicts'), text: t('within.rule.verdictsText') },
    { term: t('within.rule.strength'), text: t('within.rule.strengthText') },
    { term: t('within.rule.skip'), text: t('within.rule.skipText') },
    { term: t('within.rule.degree'), text: t('within.rule.degreeText') },
  ];

  const suggestion = c.ready && c.suggestion.label
    ? { label: t(`analysis.degree.${c.suggestion.label}`), strength: strengthText(c.suggestion.strength), key: c.suggestion.label }
    : null;

  return {
    caseKey: c.key,
    caseName: c.name,
    caseHref,
    pageHref: `${caseHref}/analysis`,
    ready: c.ready,
    classification: model.study.classification,
    classificationLabel: t(`within.classification.${model.study.classification}`),
    diagramHtml: c.ready ? caseDiagram(framework, model, c, t) : null,
    legend: {
      classes: (['low', 'medium', 'high'] as const).map((k) => ({ key: k, mark: t(`within.mark.${k}`), label: t(`analysis.class.${k}`) })),
      noValue: t('within.noValue'),
    },
    relations,
    levelPairs,
    chains,
    skipPairs,
    scores,
    open: c.ready ? c.open.map(ref) : [],
    reconcileHref: opts.canReconcile ? `/studies/${studyId}/reconcile?case=${encodeURIComponent(c.key)}` : null,
    dropped,
    withSubConditions: model.excluded.withSubConditions.map(ref),
    rules,
    suggestion,
    explanation: {
      degree: c.explanationDegree,
      degreeLabel: c.explanationDegree ? t(`analysis.degree.${c.explanationDegree}`) : null,
      narrativeHtml: c.narrative ? renderMarkdown(c.narrative) : null,
      narrative: c.narrative,
      updatedAt: c.analysisUpdatedAt,
      updatedAtText: minute(c.analysisUpdatedAt),
      updatedBy: c.analysisUpdatedBy,
      differs: suggestion !== null && c.explanationDegree !== null && c.explanationDegree !== suggestion.key,
    },
    degreeOptions: [
      { value: '', label: t('within.degree.none') },
      ...EXPLANATION_DEGREES.map((d: ExplanationDegree) => ({ value: d, label: t(`analysis.degree.${d}`) })),
    ],
  };
}
export type WithinCaseView = ReturnType<typeof withinCaseView>;

/**
 * The case's framework as SVG (also for reports): the analysed conditions (dropped ones and parents of
 * sub-conditions left out) coloured by class with the class written in each box ("no value" when the
 * case has none), relations solid / dashed / not drawn by their verdict in the case. A case whose
 * raters have not all submitted gets no classes and no relations drawn.
 */
export function caseDiagram(framework: Framework, model: AnalysisModel, c: AnalysisCase, t: Translate): SafeHtml {
  const cells: Record<string, Cell> = c.ready ? (model.cells[c.key] ?? {}) : {};
  const cls = (code: string): ClassName | 'none' => cells[code]?.class ?? 'none';
  const mark = (code: string) => {
    const k = cls(code);
    return k === 'none' ? { text: t('within.noValue'), label: t('within.noValue') } : { text: t(`within.mark.${k}`), label: t(`analysis.class.${k}`) };
  };
  const verdicts = new Map(c.ready ? model.relations.filter((r) => r.case === c.key).map((r) => [`${r.from}\u0000${r.to}`, r.verdict]) : []);
  const verdict = (from: string, to: string): Verdict => verdicts.get(`${from}\u0000${to}`) ?? 'unknown';
  const analysed = new Set(model.conditions.map((k) => k.code));
  const doc: Framework = {
    ...framework,
    conditions: framework.conditions.filter((k) => analysed.has(k.code)),
    relations: framework.relations.filter((r) => analysed.has(r.from) && analysed.has(r.to)),
  };
  return frameworkDiagram(doc, {
    title: t('within.diagramTitle', { case: c.name }),
    conditionClass: cls,
    conditionMark: mark,
    conditionData: (code) => ({ class: cls(code) }),
    relationStyle: (from, to) => VERDICT_STYLE[verdict(from, to)],
    relationData: (from, to) => ({ verdict: verdict(from, to) }),
    relationLabel: (from, to) => t(`analysis.verdict.${verdict(from, to)}`),
    text: {
      empty: t('framework.empty'),
      description: (conditions, relations, levels) => t('within.diagramDescription', { case: c.name, conditions, relations, levels }),
    },
  });
}

/** The absolute classes of the whole scores of a scale in words, e.g. "1–2 low, 3 medium, 4–5 high". */
function absoluteMapping(min: number, max: number, lang: Language, t: Translate): string {
  if (!Number.isInteger(min) || !Number.isInteger(max) || max <= min || max - min > 20) return '';
  const runs: { cls: ClassName; from: number; to: number }[] = [];
  for (let f = min; f <= max; f++) {
    const cls = absoluteClass(f, { min, max });
    const last = runs.at(-1);
    if (last && last.cls === cls) last.to = f;
    else runs.push({ cls, from: f, to: f });
  }
  const n = (v: number) => formatNumber(v, lang);
  return runs.map((r) => `${r.from === r.to ? n(r.from) : `${n(r.from)}–${n(r.to)}`} ${t(`analysis.class.${r.cls}`)}`).join(', ');
}
