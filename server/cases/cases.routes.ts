// Cases: the list for every member, a case page, the case form for leads and researchers (with
// optimistic concurrency on the case's version), attribute types declared by leads, and the
// measures import from CSV (all or nothing, every bad row reported with its line).
import type { Request, Response } from 'express';
import { cachedPage, roleAtLeast, route, studyRole, uploadRoute, type RouteDef } from '../http/authorize.ts';
import { setFlash } from '../http/flash.ts';
import { csvUpload, CSV_FILE_MAX_BYTES } from '../http/upload.ts';
import { formValues, parseForm, type FieldErrors } from '../http/forms.ts';
import { FormRefusal, HttpError } from '../lib/errors.ts';
import { translate } from '../lib/i18n.ts';
import type { Services } from '../services.ts';
import { interviewView } from '../interviews/interviews.view.ts';
import { ATTRIBUTE_TYPES } from './cases.repo.ts';
import { attributeTypeSchema, parseCaseEdit, parseNewCase, versionSchema, type CsvProblem } from './cases.schemas.ts';
import { CaseFormError } from './cases.service.ts';
import { caseFormValues, caseHref, caseListView, casePageView, conflictsView, measureRowCount } from './cases.view.ts';


export function casesRoutes(s: Services): RouteDef[] {
  const base = (req: Request) => `/studies/${req.study!.id}/cases`;
  const caseKey = (req: Request) => String(req.params.case);
  const canEdit = (req: Request) => roleAtLeast(req.studyRole, 'researcher');
  /** Pseudonyms and aliases are the lead's: only a lead's form shows them, and the service refuses them from anyone else. */
  const isLead = (req: Request) => req.studyRole === 'lead';
  const caseActor = (req: Request) => ({ id: req.user!.id, isLead: isLead(req) });

  const renderList = (req: Request, res: Response, attributeForm: { errors: FieldErrors; values: Record<string, string> } = { errors: {}, values: {} }) => {
    const study = req.study!;
    res.status(Object.keys(attributeForm.errors).length ? 422 : 200).render('cases/index', {
      title: req.t('nav.cases'),
      ...caseListView(study.id, s.cases.listPage(study.id), req.t, req.language),
      canEdit: canEdit(req),
      canDeclare: req.studyRole === 'lead',
      types: ATTRIBUTE_TYPES,
      errors: attributeForm.errors,
      values: attributeForm.values,
    });
  };

  /** The case form, new (`key` null) or an edit; `conflicts` lists what a stale form's case now holds. */
  const renderForm = (
    req: Request,
    res: Response,
    form: { key: string | null; values: Record<string, string>; errors?: FieldErrors; conflicts?: { label: string; saved: string }[] },
  ) => {
    const study = req.study!;
    const errors = form.errors ?? {};
    res.status(Object.keys(errors).length ? 422 : 200).render('cases/form', {
      title: form.key === null ? req.t('cases.new') : req.t('cases.editTitle', { name: form.values.name ?? form.key }),
      action: form.key === null ? base(req) : caseHref(study.id, form.key),
      cancel: form.key === null ? base(req) : caseHref(study.id, form.key),
      caseKey: form.key,
      types: s.cases.attributeTypes(study.id),
      measureRows: measureRowCount(form.values),
      canDeclare: req.studyRole === 'lead',
      canAnonymise: isLead(req),
      conflicts: form.conflicts ?? [],
      values: form.values,
      errors,
    });
  };

  const importView = (req: Request, problems: CsvProblem[] = [], fileName = '') => ({
    title: req.t('cases.import.title'),
    maxMb: CSV_FILE_MAX_BYTES / 1024 / 1024,
    fileName,
    problems: problems.map((p) => ({
      line: p.line,
      message: translate(req.language, p.key, p.params),
    })),
  });

  return [
    /** @route GET /studies/:id/cases — every case with its group, attributes, measures count and raters. */
    route('get', '/studies/:id/cases', studyRole('viewer'), (req, res) => renderList(req, res)),

    /** @route GET /studies/:id/cases/new */
    route('get', '/studies/:id/cases/new', studyRole('researcher'), (req, res) => renderForm(req, res, { key: null, values: {} })),

    /** @route POST /studies/:id/cases — adds a case. */
    route('post', '/studies/:id/cases', studyRole('researcher'), (req, res) => {
      const values = formValues(req.body);
      const form = parseNewCase(req.body, s.cases.attributeTypes(req.study!.id));
      if (!form.ok) return renderForm(req, res, { key: null, values, errors: form.errors });
      try {
        s.cases.create(req.study!.id, caseActor(req), form.data.key, form.data.input);
      } catch (err) {
        if (!(err instanceof FormRefusal)) throw err;
        return renderForm(req, res, { key: null, values, errors: err.fields as FieldErrors });
      }
      setFlash(req, { kind: 'success', key: 'cases.created', params: { name: form.data.input.name } });
      res.redirect(303, caseHref(req.study!.id, form.data.key));
    }),

    /** @route POST /studies/:id/cases/attributes — declares an attribute type (key and text, number or yes/no). */
    route('post', '/studies/:id/cases/attributes', studyRole('lead'), (req, res) => {
      const values = formValues(req.body);
      const form = parseForm(attributeTypeSchema, req.body);
      if (!form.ok) return renderList(req, res, { errors: form.errors, values });
      try {
        s.cases.addAttributeType(req.study!.id, req.user!.id, form.data.key, form.data.type);
      } catch (err) {
        if (!(err instanceof FormRefusal)) throw err;
        return renderList(req, res, { errors: err.fields as FieldErrors, values });
      }
      setFlash(req, { kind: 'success', key: 'cases.attrAdded', params: { key: form.data.key } });
      res.redirect(303, `${base(req)}#attribute-types`);
    }),

    /** @route GET /studies/:id/cases/measures — the CSV import form. */
    route('get', '/studies/:id/cases/measures', studyRole('researcher'), (req, res) => res.render('cases/measures', importView(req))),

    /** @route POST /studies/:id/cases/measures — multipart: `_csrf`, `file` (.csv, at most 5 MB). */
    uploadRoute('/studies/:id/cases/measures', studyRole('researcher'), csvUpload, (req, res) => {
      const file = req.file;
      if (res.locals.uploadTooLarge) {
        return res.status(422).render('cases/measures', importView(req, [{ line: null, key: 'cases.csv.tooLarge', params: { max: CSV_FILE_MAX_BYTES / 1024 / 1024 } }]));
      }
      if (!file || file.size === 0) return res.status(422).render('cases/measures', importView(req, [{ line: null, key: 'cases.csv.noFile' }]));
      const result = s.cases.importMeasures(req.study!.id, req.user!.id, file.originalname, file.buffer);
      if (!result.ok) return res.status(422).render('cases/measures', importView(req, result.problems, file.originalname));
      setFlash(req, { kind: 'success', key: 'cases.import.done', params: { count: result.count, replaced: result.replaced, file: file.originalname } });
      res.redirect(303, `${base(req)}/measures`);
    }),

    /** @route GET /studies/:id/cases/:case — everything known about the case (`:case` is its key). */
    cachedPage('/studies/:id/cases/:case', studyRole('viewer'), (req, res) => {
      const data = s.cases.casePage(req.study!.id, caseKey(req));
      const view = casePageView(req.study!.id, data, req.t, req.language);
      // The fieldwork of the case (its interviews, documents and evidence), for those who may read it.
      const fieldwork = res.locals.fieldworkOpen === true;
      res.render('cases/show', {
        title: view.name,
        c: view,
        canEdit: canEdit(req),
        interviews: fieldwork ? s.repos.interviews.listForCase(data.row.id).map(interviewView) : [],
        documents: fieldwork ? s.repos.documents.listForCase(data.row.id) : [],
        evidence: fieldwork ? s.repos.evidence.list(req.study!.id, { caseKey: data.row.key }).map((e) => ({ ...e, conditions: JSON.parse(e.conditions) as string[] })) : [],
        // Conditions by code and name (the framework is read once per revision).
        conditionNames: fieldwork ? Object.fromEntries(s.repos.framework.load(req.study!.id, req.study!.framework_title, req.study!.framework_revision).doc.conditions.map((c) => [c.code, c.name])) : {},
      });
    }),

    /** @route GET /studies/:id/cases/:case/edit */
    route('get', '/studies/:id/cases/:case/edit', studyRole('researcher'), (req, res) => {
      const data = s.cases.casePage(req.study!.id, caseKey(req));
      renderForm(req, res, { key: data.row.key, values: caseFormValues(data.row, data.types, data.measures) });
    }),

    /** @route POST /studies/:id/cases/:case — saves the edit form if the case is still at the form's version. */
    route('post', '/studies/:id/cases/:case', studyRole('researcher'), (req, res) => {
      const key = caseKey(req);
      const version = parseForm(versionSchema, req.body);
      if (!version.ok) throw new HttpError(400, 'error.badRequest');
      const values = formValues(req.body);
      const types = s.cases.attributeTypes(req.study!.id);
      const form = parseCaseEdit(req.body, types);
      if (!form.ok) return renderForm(req, res, { key, values, errors: form.errors });
      try {
        s.cases.update(req.study!.id, caseActor(req), key, version.data.version, form.data);
      } catch (err) {
        if (!(err instanceof FormRefusal)) throw err;
        const current = err instanceof CaseFormError ? err.current : undefined;
        // A stale form comes back with the user's text and the version now saved: saving again is
        // a deliberate choice after seeing what changed.
        return renderForm(req, res, {
          key,
          values: current ? { ...values, version: String(current.version) } : values,
          errors: err.fields as FieldErrors,
          conflicts: current ? conflictsView(current, values, types, req.t, req.language) : [],
        });
      }
      setFlash(req, { kind: 'success', key: 'cases.saved' });
      res.redirect(303, caseHref(req.study!.id, key));
    }),
  ];
}
