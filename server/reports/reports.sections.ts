// The sections of the case report and the cross-case report as blocks (reports.blocks.ts), built from
// the analysis model (final scores of ready cases only) and the case's fieldwork; labels in the study's
// language. Pure: the service loads the data and anonymises the result.
import type { AnalysisCase, AnalysisModel, LevelPair } from '../analysis/analysis.service.ts';
import type { ClassName, Verdict } from '../analysis/analysis.rules.ts';
import { formatAttribute } from '../cases/cases.view.ts';
import type { DocumentRow } from '../documents/documents.repo.ts';
import type { EvidenceRow } from '../evidence/evidence.repo.ts';
import { frameworkDiagram } from '../framework/framework.diagram.ts';
import type { InterviewSummary } from '../interviews/interviews.repo.ts';
import type { Language, Translate } from '../lib/i18n.ts';
import { markdownToText } from '../lib/markdown.ts';
import type { Framework } from '../studyfile/studyfile.schema.ts';
// The within-case page's diagram and its line per verdict (seed 000 E.3), shared so both read alike.
import { caseDiagram, VERDICT_STYLE } from '../within-case/within.view.ts';
import type { Block, ReportContent, TableCell, Tone } from './reports.blocks.ts';
import type { ReportRatingRow, ReportReconciliationRow } from './reports.repo.ts';

const LOCALES: Record<Language, string> = { en: 'en-GB', nl: 'nl-NL' };

interface Format {
  t: Translate;
  lang: Language;
  /** A number with at most `digits` decimals in the study's language; null → "–". */
  num: (n: number | null | undefined, digits?: number) => string;
  classLabel: (c: ClassName | null | undefined) => string;
  classMark: (c: ClassName | null | undefined) => string;
}

function formatter(t: Translate, lang: Language): Format {
  const cache = new Map<number, Intl.NumberFormat>();
  const nf = (digits: number) => {
    if (!cache.has(digits)) cache.set(digits, new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: digits, useGrouping: false }));
    return cache.get(digits)!;
  };
  return {
    t,
    lang,
    num: (n, digits = 2) => (n === null || n === undefined || !Number.isFinite(n) ? '–' : nf(digits).format(n)),
    classLabel: (c) => (c ? t(`analysis.class.${c}`) : t('reports.noValue')),
    classMark: (c) => (c ? t(`reports.mark.${c}`) : '–'),
  };
}

const tone = (c: ClassName | null | undefined): Tone => c ?? 'none';
const muted = (text: string): Block => ({ type: 'paragraph', text, muted: true });
const cell = (text: string, extra: Omit<TableCell, 'text'> = {}): TableCell => ({ text, ...extra });

/** The analysed part of the framework (what the analysis model keeps), for the diagrams. */
function analysedFramework(framework: Framework, model: AnalysisModel): Framework {
  const analysed = new Set(model.conditions.map((k) => k.code));
  return {
    ...framework,
    conditions: framework.conditions.filter((k) => analysed.has(k.code)),
    relations: framework.relations.filter((r) => analysed.has(r.from) && analysed.has(r.to)),
  };
}

const levelPairRow = (f: Format, p: LevelPair, label: string): TableCell[] => [
  cell(label, { header: true }),
  cell(String(p.relations), { numeric: true }),
  cell(String(p.applies), { numeric: true }),
  cell(String(p.possibly), { numeric: true }),
  cell(String(p.unlikely), { numeric: true }),
  cell(String(p.unknown), { numeric: true }),
  cell(p.label ? `${f.t(`analysis.degree.${p.label}`)} (${f.num(p.strength)})` : f.t('reports.noStrength')),
];

// ───────────────────────────── Case report ─────────────────────────────

export interface CaseReportData {
  study: { title: string; question: string; language: Language };
  model: AnalysisModel;
  case: AnalysisCase;
  /** The name the report shows: the real name, or the pseudonym when anonymised. */
  displayName: string;
  selectionReason: string;
  framework: Framework;
  ratings: ReportRatingRow[];
  reconciliations: ReportReconciliationRow[];
  evidence: EvidenceRow[];
  interviews: InterviewSummary[];
  documents: DocumentRow[];
  date: string;
}

export function caseReportContent(d: CaseReportData, t: Translate): ReportContent {
  const f = formatter(t, d.study.language);
  const c = d.case;
  const { model } = d;
  const cells = c.ready ? (model.cells[c.key] ?? {}) : {};
  const classOf = (code: string) => cells[code]?.class ?? null;
  const names = new Map(d.framework.conditions.map((k) => [k.code, k.name]));
  const label = (code: string) => `${code} ${names.get(code) ?? ''}`.trim();
  const notReady = muted(t('reports.notReady'));
  const degree = c.explanationDegree ? t(`analysis.degree.${c.explanationDegree}`) : t('reports.degreeNotSet');
  const suggestion =
    c.ready && c.suggestion.label ? `${t(`analysis.degree.${c.suggestion.label}`)} (${f.num(c.suggestion.strength)})` : t('reports.noSuggestion');
  const totalText = c.total.n > 0 ? t('reports.totalText', { sum: f.num(c.total.sum), mean: f.num(c.total.mean), n: c.total.n }) : t('reports.noTotal');

  // The case: group, readiness, attributes, selection reason, measures.
  const attributes = Object.entries(c.attributes).map(([key, value]) => ({ term: key, value: formatAttribute(value, t, f.lang) || t('reports.unknown') }));
  const caseBlocks: Block[] = [
    {
      type: 'facts',
      items: [
        { term: t('reports.group'), value: c.group || t('reports.none') },
        { term: t('reports.finalScores'), value: c.ready ? t('reports.ready') : t('reports.waiting') },
        { term: t('reports.total'), value: totalText },
        ...attributes,
      ],
    },
  ];
  if (d.selectionReason.trim()) caseBlocks.push({ type: 'heading', level: 3, text: t('reports.selectionReason') }, { type: 'markdown', source: d.selectionReason });
  const measures = Object.entries(c.measures);
  if (measures.length) {
    caseBlocks.push({
      type: 'table',
      caption: t('reports.measures'),
      head: [t('reports.variable'), t('reports.value')],
      rows: measures.map(([k, v]) => [cell(k, { header: true }), cell(f.num(v, 4), { numeric: true })]),
    });
  }

  // Explanation degree, suggestion and narrative.
  const narrative: Block[] = c.narrative.trim() ? [{ type: 'markdown', source: c.narrative }] : [muted(t('reports.noNarrative'))];
  const explanation: Block[] = [
    {
      type: 'facts',
      items: [
        { term: t('reports.explanationDegree'), value: degree },
        { term: t('reports.suggestion'), value: suggestion },
      ],
    },
    ...narrative,
  ];

  // Relations: verdicts and level pairs (with the "skip level 1" comparison).
  const verdictOf = new Map(model.relations.filter((r) => r.case === c.key).map((r) => [`${r.from}\u0000${r.to}`, r.verdict]));
  const relationRows = model.relations.filter((r) => r.case === c.key);
  const relations: Block[] = !c.ready
    ? [notReady]
    : [
        {
          type: 'table',
          caption: t('reports.relationsCaption'),
          head: [t('reports.cause'), t('reports.effect'), t('reports.classes'), t('reports.verdict'), t('reports.line')],
          rows: relationRows.map((r) => [
            cell(label(r.from), { header: true }),
            cell(label(r.to)),
            cell(`${f.classLabel(classOf(r.from))} → ${f.classLabel(classOf(r.to))}`),
            cell(t(`analysis.verdict.${r.verdict}`) + (r.feedback ? ` (${t('reports.feedback')})` : '')),
            cell(t(`reports.drawn.${VERDICT_STYLE[r.verdict]}`)),
          ]),
        },
        {
          type: 'table',
          caption: t('reports.levelPairsCaption'),
          head: [t('reports.levels'), t('reports.relations'), t('analysis.verdict.applies'), t('analysis.verdict.possibly'), t('analysis.verdict.unlikely'), t('analysis.verdict.unknown'), t('reports.strength')],
          rows: [
            ...model.levelPairs.filter((p) => p.case === c.key).map((p) => levelPairRow(f, p, `${p.from} → ${p.to}`)),
            ...model.skipLevel1.levelPairs.filter((p) => p.case === c.key).map((p) => levelPairRow(f, p, t('reports.skipLevel1', { from: p.from, to: p.to }))),
          ],
        },
      ];
  if (c.ready && relationRows.length === 0) relations.splice(0, relations.length, muted(t('reports.noRelations')));

  // The within-case diagram: conditions by class (colour and letter), relations by verdict.
  const analysed = analysedFramework(d.framework, model);
  const verdict = (from: string, to: string): Verdict => verdictOf.get(`${from}\u0000${to}`) ?? 'unknown';
  const levelName = new Map(d.framework.levels.map((l) => [l.number, l.name]));
  const diagram: Block[] = !c.ready
    ? [notReady]
    : [
        {
          type: 'diagram',
          // The within-case page's diagram, with the name the report shows (the pseudonym when anonymised).
          svg: caseDiagram(d.framework, model, { ...c, name: d.displayName }, t),
          legend: t('reports.diagramLegend'),
          fallback: [
            {
              type: 'table',
              caption: t('reports.diagramConditions'),
              head: [t('reports.level'), t('reports.condition'), t('reports.class')],
              rows: [...analysed.conditions]
                .sort((a, b) => a.level - b.level)
                .map((k) => [cell(`${k.level} ${levelName.get(k.level) ?? ''}`.trim(), { header: true }), cell(label(k.code)), cell(`${f.classMark(classOf(k.code))} ${f.classLabel(classOf(k.code))}`, { tone: tone(classOf(k.code)) })]),
            },
            {
              type: 'table',
              caption: t('reports.diagramRelations'),
              head: [t('reports.cause'), t('reports.effect'), t('reports.verdict'), t('reports.line')],
              rows: analysed.relations.map((r) => [
                cell(label(r.from), { header: true }),
                cell(label(r.to)),
                cell(t(`analysis.verdict.${verdict(r.from, r.to)}`)),
                cell(t(`reports.drawn.${VERDICT_STYLE[verdict(r.from, r.to)]}`)),
              ]),
            },
          ],
        },
      ];

  // Scores per condition: final score and class, each rater's score and rationale, the reconciliation note.
  const ratingsOf = new Map<string, ReportRatingRow[]>();
  for (const r of d.ratings) ratingsOf.set(r.code, [...(ratingsOf.get(r.code) ?? []), r]);
  const decisionOf = new Map(d.reconciliations.map((r) => [r.code, r]));
  const finalText = (code: string, kind: string): string => {
    const v = cells[code];
    if (v) return `${f.num(v.raw, 4)} (${t(`reports.source.${v.source}`)})`;
    if (c.ready && c.open.includes(code)) return t('reports.openItem');
    if (!c.ready) return t('reports.waiting');
    return kind === 'measured' ? t('reports.noMeasure') : t('reports.noFinal');
  };
  const scoreText = (r: ReportRatingRow) =>
    r.score === null ? (r.cannot_judge_reason ? t('reports.cannotJudgeBecause', { reason: r.cannot_judge_reason }) : t('reports.cannotJudge')) : String(r.score);
  const scores: Block[] = [];
  if (!c.ready) scores.push(notReady);
  scores.push({
    type: 'table',
    caption: t('reports.scoresCaption'),
    head: [t('reports.condition'), t('reports.finalScore'), t('reports.class'), t('reports.raterScores')],
    rows: model.conditions.map((k) => [
      cell(label(k.code), { header: true }),
      cell(finalText(k.code, k.kind)),
      cell(`${f.classMark(classOf(k.code))} ${f.classLabel(classOf(k.code))}`, { tone: tone(classOf(k.code)) }),
      cell((ratingsOf.get(k.code) ?? []).map(scoreText).join(' · ') || '–'),
    ]),
  });
  for (const k of model.conditions) {
    const own = ratingsOf.get(k.code) ?? [];
    const decision = decisionOf.get(k.code);
    const group: Block[] = [
      { type: 'heading', level: 4, text: label(k.code) },
      {
        type: 'facts',
        items: [
          { term: t('reports.finalScore'), value: finalText(k.code, k.kind) },
          { term: t('reports.class'), value: f.classLabel(classOf(k.code)) },
        ],
      },
    ];
    for (const r of own) {
      group.push({ type: 'paragraph', strong: `${r.rater}:`, text: t('reports.ratedAs', { score: scoreText(r) }) });
      group.push(r.rationale.trim() ? { type: 'markdown', source: r.rationale } : muted(t('reports.noRationale')));
    }
    if (decision) {
      group.push({
        type: 'paragraph',
        strong: `${t('reports.reconciliationNote')}:`,
        text: t('reports.decidedBy', { name: decision.decided_by, date: decision.decided_at.slice(0, 10) }) + (decision.rule ? ` (${t(`reports.rule.${decision.rule}`)})` : ''),
      });
      group.push({ type: 'markdown', source: decision.note });
    }
    if (k.kind === 'rated' && own.length === 0 && c.ready) group.push(muted(t('reports.noRatings')));
    scores.push({ type: 'group', blocks: group });
  }
  if (model.excluded.dropped.length) scores.push(muted(t('reports.dropped', { codes: model.excluded.dropped.join(', ') })));

  // Evidence quotes by condition.
  const interviewByKey = new Map(d.interviews.map((i) => [i.key, i]));
  const rolesOf = (i: InterviewSummary) => (JSON.parse(i.roles) as Array<{ name: string }>).map((r) => r.name);
  const sourceOf = (e: EvidenceRow): string => {
    let source: string;
    if (e.source_kind === 'interview') {
      const i = interviewByKey.get(e.source_key);
      const roles = i ? rolesOf(i) : [];
      source = t('reports.fromInterview', { date: i?.date ?? t('reports.noDate'), roles: roles.length ? roles.join(', ') : t('reports.noRoles') });
    } else source = t('reports.fromDocument', { title: e.source_title });
    return e.locator.trim() ? `${source}, ${e.locator.trim()}` : source;
  };
  const evidenceBy = new Map<string, EvidenceRow[]>();
  for (const e of d.evidence) {
    const codes = JSON.parse(e.conditions) as string[];
    for (const code of codes.length ? codes : ['']) evidenceBy.set(code, [...(evidenceBy.get(code) ?? []), e]);
  }
  const evidence: Block[] = [];
  for (const code of [...d.framework.conditions.map((k) => k.code), '']) {
    const list = evidenceBy.get(code);
    if (!list) continue;
    evidence.push({
      type: 'group',
      blocks: [
        { type: 'heading', level: 4, text: code ? label(code) : t('reports.noCondition') },
        ...list.map((e): Block => ({ type: 'quote', text: e.quote.trim() || e.locator, cite: sourceOf(e) })),
      ],
    });
  }
  if (evidence.length === 0) evidence.push(muted(t('reports.noEvidence')));

  const interviews: Block[] = d.interviews.length
    ? [
        {
          type: 'table',
          caption: t('reports.interviewsCaption'),
          head: [t('reports.date'), t('reports.roles'), t('reports.participants'), t('reports.status')],
          rows: d.interviews.map((i) => [
            cell(i.date ?? t('reports.noDate'), { header: true }),
            cell(rolesOf(i).join(', ') || t('reports.noRoles')),
            cell(String(i.participants), { numeric: true }),
            cell(t(`interviews.status.${i.status}`)),
          ]),
        },
      ]
    : [muted(t('reports.noInterviews'))];

  const documents: Block[] = d.documents.length
    ? [
        {
          type: 'table',
          caption: t('reports.documentsCaption'),
          head: [t('reports.documentTitle'), t('reports.kind'), t('reports.date')],
          rows: d.documents.map((doc) => [cell(doc.title, { header: true }), cell(doc.kind || '–'), cell(doc.date ?? t('reports.noDate'))]),
        },
      ]
    : [muted(t('reports.noDocuments'))];

  return {
    title: `${d.displayName} · ${d.study.title}`,
    texts: {
      'study.title': d.study.title,
      'study.question': d.study.question,
      'report.date': d.date,
      'case.name': d.displayName,
      'case.group': c.group || t('reports.none'),
      'case.explanationDegree': degree,
      'case.suggestion': suggestion,
      'case.total': totalText,
    },
    blocks: {
      'case.narrative': narrative,
      'section.case': caseBlocks,
      'section.explanation': explanation,
      'section.diagram': diagram,
      'section.relations': relations,
      'section.scores': scores,
      'section.evidence': evidence,
      'section.interviews': interviews,
      'section.documents': documents,
    },
  };
}

// ───────────────────────────── Cross-case report ─────────────────────────────

export interface CrossCaseReportData {
  study: { title: string; question: string; language: Language };
  model: AnalysisModel;
  framework: Framework;
  /** Cases in report order, each with the name the report shows. */
  cases: Array<{ case: AnalysisCase; displayName: string }>;
  date: string;
}

export function crossCaseReportContent(d: CrossCaseReportData, t: Translate): ReportContent {
  const f = formatter(t, d.study.language);
  const { model } = d;
  const names = new Map(d.framework.conditions.map((k) => [k.code, k.name]));
  const byLevel = [...model.conditions].sort((a, b) => a.level - b.level || a.position - b.position);

  // Framework summary.
  const reductionOf = new Map(model.reductions.map((r) => [r.condition, r]));
  const framework: Block[] = [
    {
      type: 'facts',
      items: [
        { term: t('reports.frameworkTitle'), value: d.framework.title || t('reports.none') },
        { term: t('reports.analysedConditions'), value: String(model.conditions.length) },
        { term: t('reports.scale'), value: `${model.study.scale.min}–${model.study.scale.max}` },
        { term: t('reports.classification'), value: t(`reports.classification.${model.study.classification}`) },
      ],
    },
    {
      type: 'table',
      caption: t('reports.levelsCaption'),
      head: [t('reports.level'), t('reports.name'), t('reports.analysedConditions')],
      rows: d.framework.levels.map((l) => [
        cell(String(l.number), { header: true }),
        cell(l.name),
        cell(String(model.conditions.filter((k) => k.level === l.number).length), { numeric: true }),
      ]),
    },
    {
      type: 'table',
      caption: t('reports.conditionsCaption'),
      head: [t('reports.code'), t('reports.condition'), t('reports.level'), t('reports.kind'), t('reports.polarity')],
      rows: byLevel.map((k) => [
        cell(k.code, { header: true }),
        cell(k.name),
        cell(String(k.level), { numeric: true }),
        cell(t(`framework.kind.${k.kind}`)),
        cell(t(`framework.polarity.${k.polarity}`)),
      ]),
    },
  ];
  if (model.excluded.dropped.length) {
    framework.push({
      type: 'table',
      caption: t('reports.droppedCaption'),
      head: [t('reports.code'), t('reports.condition'), t('reports.method'), t('reports.reason')],
      rows: model.excluded.dropped.map((code) => {
        const r = reductionOf.get(code);
        return [cell(code, { header: true }), cell(names.get(code) ?? ''), cell(r ? t(`analysis.reduction.method.${r.method}`) : '–'), cell(markdownToText(r?.reason ?? ''))];
      }),
    });
  }
  const activeGroupings = model.groupings.filter((g) => g.active);
  if (activeGroupings.length) {
    framework.push({ type: 'heading', level: 3, text: t('reports.groupings') });
    framework.push({ type: 'list', items: activeGroupings.map((g) => `${g.name} (${g.members.join(', ')})`) });
  }

  // The framework diagram, without classes.
  const analysed = analysedFramework(d.framework, model);
  const diagram: Block[] = [
    {
      type: 'diagram',
      svg: frameworkDiagram(analysed, {
        title: t('reports.frameworkDiagramTitle', { title: d.study.title }),
        text: {
          empty: t('reports.emptyFramework'),
          description: (conditions, relations, levels) => t('reports.frameworkDiagramDescription', { conditions, relations, levels }),
        },
      }),
      legend: t('reports.frameworkDiagramLegend'),
      fallback: [
        {
          type: 'table',
          caption: t('reports.diagramRelations'),
          head: [t('reports.cause'), t('reports.effect')],
          rows: analysed.relations.map((r) => [
            cell(`${r.from} ${names.get(r.from) ?? ''}`.trim(), { header: true }),
            cell(`${r.to} ${names.get(r.to) ?? ''}`.trim() + (r.feedback ? ` (${t('reports.feedback')})` : '')),
          ]),
        },
      ],
    },
  ];

  // Cases: totals and explanation degrees.
  const cases: Block[] = d.cases.length
    ? [
        {
          type: 'table',
          caption: t('reports.casesCaption'),
          head: [t('reports.case'), t('reports.group'), t('reports.finalScores'), t('reports.sum'), t('reports.mean'), 'n', t('reports.explanationDegree'), t('reports.suggestion')],
          rows: d.cases.map(({ case: c, displayName }) => [
            cell(displayName, { header: true }),
            cell(c.group || '–'),
            cell(c.ready ? t('reports.ready') : t('reports.waiting')),
            cell(c.total.n ? f.num(c.total.sum) : '–', { numeric: true }),
            cell(f.num(c.total.mean), { numeric: true }),
            cell(String(c.total.n), { numeric: true }),
            cell(c.explanationDegree ? t(`analysis.degree.${c.explanationDegree}`) : t('reports.degreeNotSet')),
            cell(c.ready && c.suggestion.label ? t(`analysis.degree.${c.suggestion.label}`) : '–'),
          ]),
        },
      ]
    : [muted(t('reports.noCases'))];

  // The heat map: conditions (by level) × cases (by outcome group), final value with its class.
  const heatmap: Block[] = d.cases.length
    ? [
        {
          type: 'table',
          wide: true,
          caption: t('reports.heatmapCaption'),
          head: [t('reports.condition'), ...d.cases.map(({ case: c, displayName }) => (c.group ? `${displayName} (${c.group})` : displayName))],
          rows: byLevel.map((k) => [
            cell(`${k.code} ${k.name}`, { header: true }),
            ...d.cases.map(({ case: c }) => {
              const v = model.cells[c.key]?.[k.code];
              return v ? cell(`${f.num(v.raw)} ${f.classMark(v.class)}`, { tone: v.class, numeric: true }) : cell('–', { tone: 'none', numeric: true });
            }),
          ]),
        },
        muted(t('reports.heatmapLegend')),
      ]
    : [muted(t('reports.noCases'))];

  // Per-condition statistics (favourability), with and without the hardly-explained cases.
  const groups = model.outcomeGroups;
  const statsOf = new Map(model.conditionStats.map((s) => [s.condition, s]));
  const difference = (dd: { high: string; low: string; value: number } | null) => (dd ? `${f.num(dd.value)} (${dd.high} − ${dd.low})` : '–');
  const statistics: Block[] = [
    {
      type: 'table',
      wide: true,
      caption: t('reports.statisticsCaption'),
      head: [
        t('reports.condition'),
        'n',
        t('reports.mean'),
        t('reports.sd'),
        t('reports.min'),
        t('reports.max'),
        t('reports.distinguishing'),
        ...groups.map((g) => t('reports.groupMean', { group: g })),
        t('reports.difference'),
        t('reports.differenceWithoutHardly'),
      ],
      rows: [
        ...byLevel.map((k) => {
          const s = statsOf.get(k.code)!;
          return [
            cell(`${k.code} ${k.name}`, { header: true }),
            cell(String(s.n), { numeric: true }),
            cell(f.num(s.mean), { numeric: true }),
            cell(f.num(s.sd), { numeric: true }),
            cell(f.num(s.min), { numeric: true }),
            cell(f.num(s.max), { numeric: true }),
            cell(s.distinguishing ? t(`analysis.distinguishing.${s.distinguishing}`) : '–'),
            ...groups.map((g) => cell(f.num(s.groups[g]?.mean), { numeric: true })),
            cell(difference(s.difference)),
            cell(difference(s.withoutHardly.difference)),
          ];
        }),
        ...activeGroupings.map((g) => [
          cell(`${g.name} (${g.members.join(' + ')})`, { header: true }),
          cell(String(g.stats.n), { numeric: true }),
          cell(f.num(g.stats.mean), { numeric: true }),
          cell(f.num(g.stats.sd), { numeric: true }),
          cell(f.num(g.stats.min), { numeric: true }),
          cell(f.num(g.stats.max), { numeric: true }),
          cell(g.stats.distinguishing ? t(`analysis.distinguishing.${g.stats.distinguishing}`) : '–'),
          ...groups.map((gr) => cell(f.num(g.stats.groups[gr]?.mean), { numeric: true })),
          cell(difference(g.stats.difference)),
          cell(difference(g.stats.withoutHardly.difference)),
        ]),
      ],
    },
    muted(t('reports.statisticsLegend')),
  ];

  const correlations: Block[] = model.correlations.length
    ? [
        {
          type: 'table',
          caption: t('reports.correlationsCaption'),
          head: [t('reports.scoreOrTotal'), t('reports.measure'), 'n', 'Pearson r', 'Spearman ρ'],
          rows: model.correlations.map((r) => [
            cell(r.x === 'total' ? t('reports.totalMean') : `${r.x} ${names.get(r.x) ?? ''}`.trim(), { header: true }),
            cell(r.y),
            cell(String(r.n), { numeric: true }),
            cell(f.num(r.pearson, 3), { numeric: true }),
            cell(f.num(r.spearman, 3), { numeric: true }),
          ]),
        },
      ]
    : [muted(t('reports.noCorrelations'))];

  return {
    title: d.study.title,
    texts: {
      'study.title': d.study.title,
      'study.question': d.study.question,
      'study.framework': d.framework.title,
      'study.cases': String(d.cases.length),
      'report.date': d.date,
    },
    blocks: {
      'section.framework': framework,
      'section.diagram': diagram,
      'section.cases': cases,
      'section.heatmap': heatmap,
      'section.statistics': statistics,
      'section.correlations': correlations,
    },
  };
}
