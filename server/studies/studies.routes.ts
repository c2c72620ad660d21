// Studies: my studies (led by what waits for the user), create, the overview page (the study's
// dashboard), settings, members and the study's audit log.
import type { Request } from 'express';
import { cachedPage, readsFieldwork, route, studyRole, USER, type RouteDef } from '../http/authorize.ts';
import { setFlash } from '../http/flash.ts';
import { parseForm, renderInvalid } from '../http/forms.ts';
import { FormRefusal, notFound, RuleError } from '../lib/errors.ts';
import { renderMarkdown } from '../lib/markdown.ts';
import type { Services } from '../services.ts';
import { renderAuditLog } from '../audit/audit.page.ts';
import { setPasswordLink } from '../users/admin.routes.ts';
import type { AddPersonResult } from './studies.service.ts';
import { settingsOf, STUDY_ROLES } from './studies.repo.ts';
import { addMemberSchema, changeRoleSchema, dashboardQuerySchema, newStudySchema, studyFormSchema } from './studies.schemas.ts';
import { dashboardView, waitingView } from './dashboard.view.ts';
import { settingsFieldset, settingsValues, settingsValuesUnder } from './studies.view.ts';
import { loadTemplate, TEMPLATES } from '../framework/templates.ts';
import { DEFAULT_SETTINGS } from '../studyfile/studyfile.schema.ts';

export function studiesRoutes(s: Services, publicUrl?: string): RouteDef[] {
  const newView = (req: Request) => ({
    title: req.t('studies.new'),
    action: '/studies',
    templates: TEMPLATES.map((t) => ({ value: t.id, label: req.t(t.labelKey) })),
    settingsForm: settingsFieldset(),
  });
  const editView = (req: Request) => ({ title: req.t('studies.edit'), action: `/studies/${req.study!.id}`, settingsForm: settingsFieldset() });
  const membersView = (req: Request) => ({
    title: req.t('members.title'),
    members: s.studies.members(req.study!.id),
    roles: STUDY_ROLES,
    canManage: req.studyRole === 'lead',
    isAdmin: req.user!.isAdmin,
    pending: req.studyRole === 'lead' ? s.studies.pendingRequests(req.study!.id) : [],
    values: {},
    errors: {},
  });

  return [
    /**
     * @route GET /studies — where a user lands after signing in: what waits for them across their
     * studies (cases to rate, items to discuss, cases to sign off), then their studies (administrators
     * see every study).
     */
    cachedPage('/studies', USER, (req, res) => {
      res.render('studies/index', {
        title: req.t('studies.title'),
        waiting: waitingView(s.dashboard.waiting(req.user!.id), req.t),
        studies: s.studies.listFor(req.user!),
      });
    }),

    /** @route GET /studies/new */
    route('get', '/studies/new', USER, (req, res) => {
      res.render('studies/form', { ...newView(req), values: { language: req.language, template: 'empty', ...settingsValues(DEFAULT_SETTINGS) }, errors: {} });
    }),

    /**
     * @route POST /studies — from a template or empty, with the rating settings of the form (or
     * else the template's); the creator becomes the study's lead.
     */
    route('post', '/studies', USER, async (req, res) => {
      const invalid = (errors: FormRefusal['fields']) =>
        renderInvalid(res, 'studies/form', { ...newView(req), values: settingsValuesUnder(req.body, DEFAULT_SETTINGS) }, errors, req.body);
      const form = parseForm(newStudySchema, req.body);
      if (!form.ok) return invalid(form.errors);
      const { template: templateId, settings, ...study } = form.data;
      const template = loadTemplate(templateId);
      let id: number;
      try {
        if (template) {
          const chosen = settings ?? template.study.settings;
          s.studies.checkNewSettings(chosen);
          const doc = { ...template, study: { ...template.study, ...study, settings: chosen } };
          id = (await s.studyFile.importer.run(doc, { owner: req.user!.id, actorId: req.user!.id })).studyId;
        } else {
          id = s.studies.create({ ...study, settings }, req.user!.id);
        }
      } catch (err) {
        if (!(err instanceof FormRefusal)) throw err;
        return invalid(err.fields);
      }
      setFlash(req, { kind: 'success', key: 'studies.created' });
      res.redirect(303, `/studies/${id}`);
    }),

    /**
     * @route GET /studies/:id — the overview: the study's dashboard (every case × its phases with the
     * next step, study-level progress), then the question, contents and settings. `?phase=`
     * fieldwork|rating|reconciliation|signed-off, `?sort=` case|name|phase|open, `?page=` (50 cases a page).
     */
    cachedPage('/studies/:id', studyRole('viewer'), (req, res) => {
      const study = req.study!;
      const query = dashboardQuerySchema.parse(req.query);
      const cases = s.dashboard.study(study, { id: req.user!.id, role: req.studyRole! });
      res.render('studies/show', {
        title: study.title,
        questionHtml: renderMarkdown(study.question),
        counts: s.repos.studies.counts(study.id),
        dashboard: dashboardView(cases, query, {
          studyId: study.id, role: req.studyRole!, readsFieldwork: readsFieldwork(req.studyRole!, study), t: req.t, collator: new Intl.Collator(study.language),
        }),
      });
    }),

    /** @route GET /studies/:id/edit */
    route('get', '/studies/:id/edit', studyRole('lead'), (req, res) => {
      const study = req.study!;
      res.render('studies/form', {
        ...editView(req),
        values: { title: study.title, question: study.question, language: study.language, ...settingsValues(settingsOf(study)) },
        errors: {},
      });
    }),

    /**
     * @route POST /studies/:id — title, question, content language and the rating settings; a
     * refused setting comes back (422) with the input kept and the reason next to its field.
     */
    route('post', '/studies/:id', studyRole('lead'), (req, res) => {
      const study = req.study!;
      const invalid = (errors: FormRefusal['fields']) =>
        renderInvalid(res, 'studies/form', { ...editView(req), values: settingsValuesUnder(req.body, settingsOf(study)) }, errors, req.body);
      const form = parseForm(studyFormSchema, req.body);
      if (!form.ok) return invalid(form.errors);
      try {
        s.studies.update(study.id, form.data, req.user!.id);
      } catch (err) {
        if (!(err instanceof FormRefusal)) throw err;
        return invalid(err.fields);
      }
      setFlash(req, { kind: 'success', key: 'studies.saved' });
      res.redirect(303, `/studies/${study.id}`);
    }),

    /** @route GET /studies/:id/members */
    route('get', '/studies/:id/members', studyRole('viewer'), (req, res) => res.render('studies/members', membersView(req))),

    /**
     * @route POST /studies/:id/members — adds a person by email with a role: an existing account at
     * once; without one, an administrator creates it here (the one-time link is shown) and a lead
     * asks the administrators for it (studies.service addPerson).
     */
    route('post', '/studies/:id/members', studyRole('lead'), (req, res) => {
      const form = parseForm(addMemberSchema, req.body);
      if (!form.ok) return renderInvalid(res, 'studies/members', membersView(req), form.errors, req.body);
      let result: AddPersonResult;
      try {
        result = s.studies.addPerson(req.study!.id, form.data, { id: req.user!.id, isAdmin: req.user!.isAdmin });
      } catch (err) {
        if (!(err instanceof RuleError)) throw err;
        return renderInvalid(res, 'studies/members', membersView(req), { [err.field ?? '_form']: { key: err.messageKey, params: err.params } }, req.body);
      }
      const email = form.data.email;
      if (result.outcome === 'created') setFlash(req, { kind: 'success', key: 'members.createdLink', params: { email, link: setPasswordLink(req, publicUrl, result.token) } });
      else if (result.outcome === 'requested') setFlash(req, { kind: 'info', key: 'members.requested', params: { email } });
      else {
        const added = s.repos.users.findByEmail(email);
        setFlash(req, { kind: 'success', key: 'members.added', params: { name: added ? `${added.name} (${added.email})` : email } });
      }
      res.redirect(303, `/studies/${req.study!.id}/members`);
    }),

    /** @route POST /studies/:id/members/:userId — changes a member's role. */
    route('post', '/studies/:id/members/:userId', studyRole('lead'), (req, res) => {
      const form = parseForm(changeRoleSchema, req.body);
      if (!form.ok) return renderInvalid(res, 'studies/members', membersView(req), form.errors, req.body);
      const userId = Number(req.params.userId);
      try {
        s.studies.changeRole(req.study!.id, userId, form.data.role, req.user!.id);
        setFlash(req, { kind: 'success', key: 'members.roleChanged' });
      } catch (err) {
        if (!(err instanceof RuleError)) throw err;
        if (err.messageKey === 'error.notFound') throw notFound();
        setFlash(req, { kind: 'error', key: err.messageKey });
      }
      res.redirect(303, `/studies/${req.study!.id}/members`);
    }),

    /** @route POST /studies/:id/members/:userId/remove */
    route('post', '/studies/:id/members/:userId/remove', studyRole('lead'), (req, res) => {
      const userId = Number(req.params.userId);
      try {
        s.studies.removeMember(req.study!.id, userId, req.user!.id);
        setFlash(req, { kind: 'success', key: 'members.removed' });
      } catch (err) {
        if (!(err instanceof RuleError)) throw err;
        if (err.messageKey === 'error.notFound') throw notFound();
        setFlash(req, { kind: 'error', key: err.messageKey });
      }
      res.redirect(303, `/studies/${req.study!.id}/members`);
    }),

    /** @route GET /studies/:id/audit — newest first, 50 a page (?before=ID); filters ?what=, ?who=, ?from=, ?to= (audit.page.ts). */
    route('get', '/studies/:id/audit', studyRole('lead'), (req, res) =>
      renderAuditLog(s, req, res, { studyId: req.study!.id, title: req.t('audit.title'), basePath: `/studies/${req.study!.id}/audit` })),
  ];
}
