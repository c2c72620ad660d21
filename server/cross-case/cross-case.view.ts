// The cross-case page as plain data: the heat map (cases as columns in the chosen order, conditions
// as rows by level, active groupings as combined rows, the case totals), the per-condition
// statistics with and without the cases explained hardly, the correlation grid, the scatter plot
// with its data table, the explanation degree × attribute tables and the rules in words for this
// study's settings. Everything is formatted for the reader's language, so the template only prints.
import type { RowStats } from '../analysis/analysis.service.ts';
import type { ClassName } from '../analysis/analysis.rules.ts';
import { formatAttribute, formatNumber } from '../cases/cases.view.ts';
import type { AttributeValue } from '../cases/cases.repo.ts';
import type { Language, Translate } from '../lib/i18n.ts';
import { scatterSvg } from './cross-case.scatter.ts';
import { CASE_ORDER, correlationKey, type CorrelationCell, type CrossCasePage } from './cross-case.service.ts';

const LOCALES: Record<Language, string> = { en: 'en-GB', nl: 'nl-NL' };

export interface CellView {
  /** 'none': no value in this case. */
  classKey: ClassName | 'none';
  mark: string;
  label: string;
  value: string;
}

export interface StatsView {
  n: number;
  mean: string;
  sd: string;
  distinguishing: string;
  distinguishingKey: string;
  groups: string[];
  difference: string;
}

export function crossCaseView(data: CrossCasePage, opts: { studyId: number; t: Translate; lang: Language }) {
  const { model } = data;
  const { t, lang, studyId } = opts;
  const base = `/studies/${studyId}/cross-case`;
  const two = new Intl.NumberFormat(LOCALES[lang], { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const three = new Intl.NumberFormat(LOCALES[lang], { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  const tick = new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 2 });
  const fixed = (v: number | null | undefined) => (v === null || v === undefined ? t('crossCase.na') : two.format(v));
  const coefficient = (v: number | null) => (v === null ? t('crossCase.na') : three.format(v));
  const names = data.conditionNames;
  const measureLabel = (m: string) => (names.has(m) ? `${m} ${names.get(m)}` : m);

  // Translated once per class, not once per cell of the heat map (cases × conditions).
  const classTexts = new Map<ClassName, { mark: string; label: string }>();
  const textsOf = (cls: ClassName) => {
    let texts = classTexts.get(cls);
    if (!texts) classTexts.set(cls, (texts = { mark: t(`crossCase.mark.${cls}`), label: t(`analysis.class.${cls}`) }));
    return texts;
  };
  const noValue = t('crossCase.noValue');
  const classView = (cls: ClassName | undefined, value: string): CellView =>
    cls ? { classKey: cls, ...textsOf(cls), value } : { classKey: 'none', mark: '', label: noValue, value: '' };

  // Columns: the cases in the chosen order.
  const orderMeasure = data.order.measure;
  const columns = data.cases.map((c) => ({
    key: c.key,
    name: c.name,
    group: c.group,
    ready: c.ready,
    degree: c.explanationDegree,
    degreeLabel: c.explanationDegree ? t(`analysis.degree.${c.explanationDegree}`) : '',
    orderValue: orderMeasure !== null && c.measures[orderMeasure] !== undefined ? formatNumber(c.measures[orderMeasure]!, lang) : '',
  }));
  const orderText =
    orderMeasure === null
      ? t(data.order.dir === 'asc' ? 'crossCase.order.case' : 'crossCase.order.caseReversed')
      : t('crossCase.order.measure', { measure: measureLabel(orderMeasure), dir: t(`crossCase.dir.${data.order.dir}`) });

  // Rows: analysed conditions by level, each with its cell per case.
  const groupingNames = new Map(model.groupings.map((g) => [g.key, g.name]));
  const levelNumbers = [...new Set(model.conditions.map((c) => c.level))].sort((a, b) => a - b);
  const levels = levelNumbers.map((number) => ({
    number,
    label: data.levelNames.get(number) ? t('crossCase.levelNamed', { number, name: data.levelNames.get(number)! }) : t('crossCase.level', { number }),
    rows: model.conditions
      .filter((c) => c.level === number)
      .map((c) => ({
        code: c.code,
        name: c.name,
        measured: c.kind === 'measured',
        lowerFavourable: c.polarity === 'lower-is-favourable',
        groupings: c.reduction?.method === 3 ? c.groupings.map((g) => `${g} ${groupingNames.get(g) ?? ''}`.trim()) : [],
        cells: data.cases.map((k) => {
          const cell = model.cells[k.key]?.[c.code];
          return classView(cell?.class, cell ? formatNumber(cell.raw, lang) : '');
        }),
      })),
  }));
  const groupingClasses = new Map(data.groupings.map((g) => [g.key, g.classes]));
  const activeGroupings = model.groupings.filter((g) => g.active);
  const groupingRows = activeGroupings.map((g) => ({
    key: g.key,
    name: g.name,
    members: g.members.join(' + '),
    cells: data.cases.map((k) => classView(groupingClasses.get(g.key)?.[k.key], g.values[k.key] !== undefined ? fixed(g.values[k.key]) : '')),
  }));
  const totals = data.cases.map((c) => ({
    sum: c.total.n ? formatNumber(c.total.sum, lang) : '',
    mean: c.total.mean === null ? '' : fixed(c.total.mean),
    n: c.total.n,
  }));

  // Statistics per condition (and per active grouping), all cases and without the hardly-explained ones.
  const groups = model.outcomeGroups;
  const statsView = (s: RowStats): StatsView => ({
    n: s.n,
    mean: fixed(s.mean),
    sd: fixed(s.sd),
    distinguishing: s.distinguishing ? t(`analysis.distinguishing.${s.distinguishing}`) : t('crossCase.notApplicable'),
    distinguishingKey: s.distinguishing ?? 'none-applicable',
    groups: groups.map((g) => (s.groups[g] ? t('crossCase.groupMean', { mean: fixed(s.groups[g]!.mean), n: s.groups[g]!.n }) : t('crossCase.na'))),
    difference: s.difference
      ? t('crossCase.difference', { value: fixed(s.difference.value), high: s.difference.high, low: s.difference.low })
      : t('crossCase.na'),
  });
  const statsRows = [
    ...model.conditionStats.map((s) => ({
      code: s.condition,
      name: names.get(s.condition) ?? '',
      kind: t(`framework.kind.${s.kind}`),
      grouping: false,
      all: statsView(s),
      robust: statsView(s.withoutHardly),
    })),
    ...activeGroupings.map((g) => ({
      code: g.key,
      name: t('crossCase.groupingName', { name: g.name, members: g.members.join(' + ') }),
      kind: t('crossCase.grouping'),
      grouping: true,
      all: statsView(g.stats),
      robust: statsView(g.stats.withoutHardly),
    })),
  ];
  const hardly = model.cases.filter((c) => c.explanationDegree === 'hardly').map((c) => c.name);

  // Correlations.
  const correlationText = (c: CorrelationCell) => ({
    omitted: c.omitted,
    n: c.n,
    pearson: c.omitted ? '' : coefficient(c.pearson),
    spearman: c.omitted ? '' : coefficient(c.spearman),
    undefinedReason: !c.omitted && (c.pearson === null || c.spearman === null) ? t('crossCase.noVariation') : '',
    omittedText: t('crossCase.omitted', { n: c.n }),
  });
  const correlations = {
    measures: data.correlations.ys.map((y) => ({ key: y, label: measureLabel(y) })),
    rows: data.correlations.xs.map((x) => ({
      key: x,
      label: x === 'total' ? t('crossCase.totalMean') : `${x} ${names.get(x) ?? ''}`.trim(),
      total: x === 'total',
      cells: data.correlations.ys.map((y) => correlationText(data.correlations.cells.get(correlationKey(x, y))!)),
    })),
  };

  // Scatter plot of the total against the chosen measure.
  const sm = data.scatter.measure;
  const sc = data.scatter.correlation;
  const scatterStats =
    sc === null ? '' : sc.omitted ? t('crossCase.scatter.tooFew', { n: sc.n }) : t('crossCase.scatter.stats', { r: coefficient(sc.pearson), rho: coefficient(sc.spearman), n: sc.n });
  const scatter =
    sm === null
      ? null
      : {
          measure: sm,
          label: measureLabel(sm),
          statsText: scatterStats,
          points: data.scatter.points.map((p) => ({
            key: p.case.key,
            name: p.case.name,
            x: formatNumber(p.x, lang),
            mean: fixed(p.y),
            sum: formatNumber(p.case.total.sum, lang),
            n: p.case.total.n,
          })),
          svgHtml: data.scatter.points.length
            ? scatterSvg(
                data.scatter.points.map((p) => ({ label: p.case.name, x: p.x, y: p.y })),
                {
                  title: t('crossCase.scatter.title', { measure: measureLabel(sm) }),
                  description: t('crossCase.scatter.desc', { n: data.scatter.points.length, measure: measureLabel(sm), stats: scatterStats }),
                  xLabel: measureLabel(sm),
                  yLabel: t('crossCase.totalMean'),
                  format: (v) => tick.format(v),
                  point: (p) => t('crossCase.scatter.point', { case: p.label, x: formatNumber(p.x, lang), y: fixed(p.y) }),
                },
              )
            : null,
        };

  // Explanation degree × attribute.
  const valueLabel = (v: AttributeValue | null) => (v === null ? t('crossCase.valueMissing') : formatAttribute(v, t, lang));
  const tables = data.tables.map((tb) => {
    const heading = tb.attribute === null ? t('crossCase.outcomeGroup') : tb.attribute;
    return {
      attribute: tb.attribute ?? '',
      heading,
      caption: t('crossCase.degreeCaption', { attribute: heading }),
      columns: tb.values.map(valueLabel),
      rows: tb.rows.map((r) => ({
        degree: r.degree ?? 'unset',
        label: r.degree ? t(`analysis.degree.${r.degree}`) : t('crossCase.degreeNotSet'),
        counts: r.counts,
        total: r.total,
      })),
      totals: tb.totals,
      n: tb.n,
    };
  });

  // Options of the two forms.
  const measureOptions = model.measures.map((m) => ({ value: m, label: measureLabel(m) }));
  const defaultLabel = data.order.defaultMeasure === null ? t('crossCase.order.caseOption') : measureLabel(data.order.defaultMeasure);

  const reductionByCode = new Map(model.reductions.map((r) => [r.condition, r]));
  const absolute = model.study.classification === 'absolute';
  const { min, max } = model.study.scale;

  return {
    base,
    csvHref: `${base}.csv`,
    exportsHref: `/studies/${studyId}/exports`,
    reportHref: `/studies/${studyId}/report`,
    reductionHref: `/studies/${studyId}/reduction`,
    classificationLabel: t(`crossCase.classification.${model.study.classification}`),
    caseCount: model.cases.length,
    notReady: model.cases.filter((c) => !c.ready).length,
    orderText,
    orderForm: {
      options: [{ value: CASE_ORDER, label: t('crossCase.order.caseOption') }, ...measureOptions],
      selected: orderMeasure ?? CASE_ORDER,
      dir: data.order.dir,
      dirOptions: (['asc', 'desc'] as const).map((d) => ({ value: d, label: t(`crossCase.dir.${d}`) })),
      defaultText: t('crossCase.order.default', { measure: defaultLabel }),
      scatterMeasure: sm ?? '',
    },
    columns,
    levels,
    groupingRows,
    totals,
    legend: (['low', 'medium', 'high'] as const).map((k) => ({ key: k, mark: t(`crossCase.mark.${k}`), label: t(`analysis.class.${k}`) })),
    stats: { groups, rows: statsRows, hardly },
    correlations,
    scatterOptions: measureOptions,
    scatter,
    tables,
    hasAttributes: data.attributes.length > 0,
    dropped: model.excluded.dropped.map((code) => {
      const r = reductionByCode.get(code);
      return { code, name: names.get(code) ?? '', method: r ? t(`analysis.reduction.method.${r.method}`) : '' };
    }),
    withSubConditions: model.excluded.withSubConditions,
    rules: [
      { term: t('crossCase.rule.values'), text: t('crossCase.rule.valuesText') },
      { term: t('crossCase.rule.favourability'), text: t('crossCase.rule.favourabilityText', { min, max, sum: min + max }) },
      { term: t('crossCase.rule.classes'), text: absolute ? t('crossCase.rule.classesAbsolute', { min, max }) : t('crossCase.rule.classesRelative') },
      { term: t('crossCase.rule.order'), text: t('crossCase.rule.orderText') },
      { term: t('crossCase.rule.distinguishing'), text: t('crossCase.rule.distinguishingText') },
      { term: t('crossCase.rule.groups'), text: t('crossCase.rule.groupsText') },
      { term: t('crossCase.rule.robust'), text: t('crossCase.rule.robustText') },
      { term: t('crossCase.rule.groupings'), text: t('crossCase.rule.groupingsText') },
      { term: t('crossCase.rule.totals'), text: t('crossCase.rule.totalsText') },
      { term: t('crossCase.rule.correlations'), text: t('crossCase.rule.correlationsText') },
      { term: t('crossCase.rule.dropped'), text: t('crossCase.rule.droppedText') },
    ],
  };
}
export type CrossCaseView = ReturnType<typeof crossCaseView>;

