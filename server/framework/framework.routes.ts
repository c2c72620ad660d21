// The framework page for every member, and the editor for leads: title, levels, categories,
// conditions, relations and groupings. Edits carry the revision they were made on; a stale form
// is refused with the user's input kept.
import type { Request, Response } from 'express';
import { route, studyRole, type RouteDef } from '../http/authorize.ts';
import { setFlash } from '../http/flash.ts';
import { formValues, parseForm, type FieldErrors } from '../http/forms.ts';
import { FormRefusal, HttpError, notFound, RuleError } from '../lib/errors.ts';
import type { Services } from '../services.ts';
import { KINDS, POLARITIES, type ConditionDoc } from '../studyfile/studyfile.schema.ts';
import { frameworkDiagram } from './framework.diagram.ts';
import { anchorsFrom, categorySchema, conditionSchema, groupingSchema, levelSchema, relationSchema, revisionSchema, titleSchema } from './framework.schemas.ts';
import { frameworkView } from './framework.view.ts';

export function frameworkRoutes(s: Services): RouteDef[] {
  const load = (req: Request) => {
    const study = req.study!;
    return s.repos.framework.load(study.id, study.framework_title, study.framework_revision);
  };
  const base = (req: Request) => `/studies/${req.study!.id}/framework`;

  /** The editor page; `failed` names the form whose input was refused, with its errors and values. */
  const renderEditor = (req: Request, res: Response, failed?: { form: string; errors: FieldErrors; values: Record<string, string> }) => {
    const loaded = load(req);
    res.status(failed ? 422 : 200).render('framework/edit', {
      title: req.t('framework.edit'),
      fw: loaded.doc,
      conditions: loaded.conditions,
      relations: s.repos.framework.relationRows(req.study!.id),
      revision: req.study!.framework_revision,
      locked: s.repos.framework.hasRatings(req.study!.id),
      failed: failed ?? { form: '', errors: {}, values: {} },
    });
  };

  const renderConditionForm = (req: Request, res: Response, conditionId: number | null, values: Record<string, string>, errors: FieldErrors = {}) => {
    const loaded = load(req);
    const study = req.study!;
    const scores = Array.from({ length: study.scale_max - study.scale_min + 1 }, (_, i) => study.scale_min + i);
    res.status(Object.keys(errors).length ? 422 : 200).render('framework/condition', {
      title: conditionId === null ? req.t('framework.newCondition') : req.t('framework.editCondition', { code: values.code ?? '' }),
      action: conditionId === null ? `${base(req)}/conditions` : `${base(req)}/conditions/${conditionId}`,
      conditionId,
      fw: loaded.doc,
      scores,
      kinds: KINDS,
      polarities: POLARITIES,
      revision: study.framework_revision,
      locked: s.repos.framework.hasRatings(study.id),
      values,
      errors,
    });
  };

  /** Runs an edit; on success back to the editor with a message, on refusal the form comes back. */
  const attempt = (req: Request, res: Response, form: string, run: () => void, onRefused?: (errors: FieldErrors) => void) => {
    try {
      run();
    } catch (err) {
      if (err instanceof FormRefusal) {
        const errors = err.fields as FieldErrors;
        return onRefused ? onRefused(errors) : renderEditor(req, res, { form, errors, values: formValues(req.body) });
      }
      if (err instanceof RuleError && err.messageKey === 'error.notFound') throw notFound();
      throw err;
    }
    setFlash(req, { kind: 'success', key: 'framework.saved' });
    res.redirect(303, `${base(req)}/edit`);
  };

  const invalid = (req: Request, res: Response, form: string, errors: FieldErrors) =>
    renderEditor(req, res, { form, errors, values: formValues(req.body) });

  const conditionFrom = (req: Request, data: ReturnType<typeof conditionSchema.parse>): ConditionDoc => {
    const study = req.study!;
    const anchors = anchorsFrom(req.body as Record<string, unknown>, study.scale_min, study.scale_max);
    return {
      code: data.code,
      name: data.name,
      level: data.level,
      category: data.category || undefined,
      parent: data.parent || undefined,
      kind: data.kind,
      polarity: data.polarity,
      description: data.description || undefined,
      assessedOn: data.assessedOn || undefined,
      anchors: Object.keys(anchors).length ? anchors : undefined,
    };
  };

  const conditionCode = (req: Request): { id: number; code: string } => {
    const id = Number(req.params.conditionId);
    const row = load(req).conditions.find((c) => c.id === id);
    if (!row) throw notFound();
    return { id, code: row.code };
  };

  const revisionOf = (req: Request): number => {
    const form = parseForm(revisionSchema, req.body);
    if (!form.ok) throw new HttpError(400, 'error.badRequest');
    return form.data.revision;
  };

  return [
    /** @route GET /studies/:id/framework — conditions by level and category, relations, groupings, diagram. */
    route('get', '/studies/:id/framework', studyRole('viewer'), (req, res) => {
      const loaded = load(req);
      res.render('framework/show', {
        title: req.t('framework.title'),
        fw: loaded.doc,
        ...frameworkView(loaded),
        diagramHtml: frameworkDiagram(loaded.doc, {
          title: loaded.doc.title || req.study!.title,
          linkBase: '',
          text: {
            empty: req.t('framework.empty'),
            description: (conditions, relations, levels) => req.t('framework.diagramDescription', { conditions, relations, levels }),
          },
        }),
        canEdit: req.studyRole === 'lead',
      });
    }),

    /** @route GET /studies/:id/framework/edit */
    route('get', '/studies/:id/framework/edit', studyRole('lead'), (req, res) => renderEditor(req, res)),

    /** @route POST /studies/:id/framework/title */
    route('post', '/studies/:id/framework/title', studyRole('lead'), (req, res) => {
      const form = parseForm(titleSchema, req.body);
      if (!form.ok) return invalid(req, res, 'title', form.errors);
      attempt(req, res, 'title', () => s.framework.setTitle(req.study!.id, req.user!.id, form.data.title));
    }),

    /** @route POST /studies/:id/framework/levels — adds a level. */
    route('post', '/studies/:id/framework/levels', studyRole('lead'), (req, res) => {
      const form = parseForm(levelSchema, req.body);
      if (!form.ok) return invalid(req, res, 'level-new', form.errors);
      const { revision, ...level } = form.data;
      attempt(req, res, 'level-new', () => s.framework.saveLevel(req.study!.id, req.user!.id, revision, null, level));
    }),

    /** @route POST /studies/:id/framework/levels/:number */
    route('post', '/studies/:id/framework/levels/:number', studyRole('lead'), (req, res) => {
      const old = Number(req.params.number);
      const form = parseForm(levelSchema, req.body);
      if (!form.ok) return invalid(req, res, `level-${old}`, form.errors);
      const { revision, ...level } = form.data;
      attempt(req, res, `level-${old}`, () => s.framework.saveLevel(req.study!.id, req.user!.id, revision, old, level));
    }),

    /** @route POST /studies/:id/framework/levels/:number/delete */
    route('post', '/studies/:id/framework/levels/:number/delete', studyRole('lead'), (req, res) => {
      const old = Number(req.params.number);
      attempt(req, res, `level-${old}`, () => s.framework.deleteLevel(req.study!.id, req.user!.id, revisionOf(req), old));
    }),

    /** @route POST /studies/:id/framework/categories — adds a category. */
    route('post', '/studies/:id/framework/categories', studyRole('lead'), (req, res) => {
      const form = parseForm(categorySchema, req.body);
      if (!form.ok) return invalid(req, res, 'category-new', form.errors);
      const { revision, ...category } = form.data;
      attempt(req, res, 'category-new', () => s.framework.saveCategory(req.study!.id, req.user!.id, revision, null, category));
    }),

    /** @route POST /studies/:id/framework/categories/:categoryKey */
    route('post', '/studies/:id/framework/categories/:categoryKey', studyRole('lead'), (req, res) => {
      const old = String(req.params.categoryKey);
      const form = parseForm(categorySchema, req.body);
      if (!form.ok) return invalid(req, res, `category-${old}`, form.errors);
      const { revision, ...category } = form.data;
      attempt(req, res, `category-${old}`, () => s.framework.saveCategory(req.study!.id, req.user!.id, revision, old, category));
    }),

    /** @route POST /studies/:id/framework/categories/:categoryKey/delete */
    route('post', '/studies/:id/framework/categories/:categoryKey/delete', studyRole('lead'), (req, res) => {
      const old = String(req.params.categoryKey);
      attempt(req, res, `category-${old}`, () => s.framework.deleteCategory(req.study!.id, req.user!.id, revisionOf(req), old));
    }),

    /** @route GET /studies/:id/framework/conditions/new */
    route('get', '/studies/:id/framework/conditions/new', studyRole('lead'), (req, res) => {
      renderConditionForm(req, res, null, { kind: 'rated', polarity: 'higher-is-favourable', level: String(req.query.level ?? '') });
    }),

    /** @route POST /studies/:id/framework/conditions — adds a condition. */
    route('post', '/studies/:id/framework/conditions', studyRole('lead'), (req, res) => {
      const form = parseForm(conditionSchema, req.body);
      const values = formValues(req.body);
      if (!form.ok) return renderConditionForm(req, res, null, values, form.errors);
      attempt(req, res, 'condition', () => s.framework.saveCondition(req.study!.id, req.user!.id, form.data.revision, null, conditionFrom(req, form.data)),
        (errors) => renderConditionForm(req, res, null, values, errors));
    }),

    /** @route GET /studies/:id/framework/conditions/:conditionId/edit */
    route('get', '/studies/:id/framework/conditions/:conditionId/edit', studyRole('lead'), (req, res) => {
      const { id, code } = conditionCode(req);
      const c = load(req).doc.conditions.find((x) => x.code === code)!;
      const values: Record<string, string> = {
        code: c.code, name: c.name, level: String(c.level), category: c.category ?? '', parent: c.parent ?? '',
        kind: c.kind, polarity: c.polarity, description: c.description ?? '', assessedOn: c.assessedOn ?? '',
      };
      for (const [score, text] of Object.entries(c.anchors ?? {})) values[`anchor_${score}`] = text;
      renderConditionForm(req, res, id, values);
    }),

    /** @route POST /studies/:id/framework/conditions/:conditionId */
    route('post', '/studies/:id/framework/conditions/:conditionId', studyRole('lead'), (req, res) => {
      const { id, code } = conditionCode(req);
      const form = parseForm(conditionSchema, req.body);
      const values = formValues(req.body);
      if (!form.ok) return renderConditionForm(req, res, id, values, form.errors);
      attempt(req, res, 'condition', () => s.framework.saveCondition(req.study!.id, req.user!.id, form.data.revision, code, conditionFrom(req, form.data)),
        (errors) => renderConditionForm(req, res, id, values, errors));
    }),

    /** @route POST /studies/:id/framework/conditions/:conditionId/delete */
    route('post', '/studies/:id/framework/conditions/:conditionId/delete', studyRole('lead'), (req, res) => {
      const { code } = conditionCode(req);
      attempt(req, res, `condition-${code}`, () => s.framework.deleteCondition(req.study!.id, req.user!.id, revisionOf(req), code));
    }),

    /** @route POST /studies/:id/framework/relations — adds a relation. */
    route('post', '/studies/:id/framework/relations', studyRole('lead'), (req, res) => {
      const form = parseForm(relationSchema, req.body);
      if (!form.ok) return invalid(req, res, 'relation-new', form.errors);
      const { revision, feedback, ...relation } = form.data;
      attempt(req, res, 'relation-new', () => s.framework.addRelation(req.study!.id, req.user!.id, revision, { ...relation, feedback: feedback === 'on' }));
    }),

    /** @route POST /studies/:id/framework/relations/:relationId/delete */
    route('post', '/studies/:id/framework/relations/:relationId/delete', studyRole('lead'), (req, res) => {
      const relationId = Number(req.params.relationId);
      attempt(req, res, `relation-${relationId}`, () => s.framework.deleteRelation(req.study!.id, req.user!.id, revisionOf(req), relationId));
    }),

    /** @route POST /studies/:id/framework/groupings — adds a grouping. */
    route('post', '/studies/:id/framework/groupings', studyRole('lead'), (req, res) => {
      const form = parseForm(groupingSchema, req.body);
      if (!form.ok) return invalid(req, res, 'grouping-new', form.errors);
      const { revision, ...grouping } = form.data;
      attempt(req, res, 'grouping-new', () => s.framework.saveGrouping(req.study!.id, req.user!.id, revision, null, grouping));
    }),

    /** @route POST /studies/:id/framework/groupings/:groupingKey */
    route('post', '/studies/:id/framework/groupings/:groupingKey', studyRole('lead'), (req, res) => {
      const old = String(req.params.groupingKey);
      const form = parseForm(groupingSchema, req.body);
      if (!form.ok) return invalid(req, res, `grouping-${old}`, form.errors);
      const { revision, ...grouping } = form.data;
      attempt(req, res, `grouping-${old}`, () => s.framework.saveGrouping(req.study!.id, req.user!.id, revision, old, grouping));
    }),

    /** @route POST /studies/:id/framework/groupings/:groupingKey/delete */
    route('post', '/studies/:id/framework/groupings/:groupingKey/delete', studyRole('lead'), (req, res) => {
      const old = String(req.params.groupingKey);
      attempt(req, res, `grouping-${old}`, () => s.framework.deleteGrouping(req.study!.id, req.user!.id, revisionOf(req), old));
    }),
  ];
}
