// Interview roles, the question bank and the printable interview guide per role. Every member
// reads; leads add, rename and delete roles and add, edit, delete and reorder questions.
// Handlers parse the form, make one service call, and answer 303 with a message, or the same form
// again (422) with the problems next to the fields and the input kept.
import type { Request, Response } from 'express';
import { route, studyRole, type RouteDef } from '../http/authorize.ts';
import { setFlash } from '../http/flash.ts';
import { formValues, parseForm, type FieldErrors } from '../http/forms.ts';
import { HttpError, notFound } from '../lib/errors.ts';
import { translator, type MessageKey } from '../lib/i18n.ts';
import { renderMarkdown } from '../lib/markdown.ts';
import type { Services } from '../services.ts';
import { moveSchema, questionSchema, roleSchema, sectionMoveSchema, splitCodes, stampSchema, type QuestionForm } from './guides.schemas.ts';
import { conditionChoices } from '../framework/framework.view.ts';
import { GuidesRefusal, questionStamp, type QuestionInput } from './guides.service.ts';
import { bankView, guideView, rolesView } from './guides.view.ts';

/** What a re-rendered page needs to show a refused form again: which form, its problems, its input. */
interface Failed {
  form: string;
  errors: FieldErrors;
  values: Record<string, string>;
}

/** The question form's values as typed, with the ticked role ids as a list. */
interface QuestionValues {
  section: string;
  text: string;
  conditions: string[];
  roles: string[];
  stamp?: string;
}

const idParam = (value: unknown): number => {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id < 1) throw notFound();
  return id;
};

const questionValuesOf = (body: unknown): QuestionValues => {
  const v = formValues(body);
  const { roles, conditions } = (body ?? {}) as { roles?: unknown; conditions?: unknown };
  const list = (value: unknown) => (value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String));
  return {
    section: v.section ?? '',
    text: v.text ?? '',
    conditions: typeof conditions === 'string' ? splitCodes(conditions) : list(conditions),
    roles: list(roles),
    stamp: v.stamp,
  };
};

const inputOf = (data: QuestionForm): QuestionInput => ({ section: data.section, text: data.text, roleIds: data.roles, conditionCodes: data.conditions });

export function guidesRoutes(s: Services): RouteDef[] {
  const base = (req: Request) => `/studies/${req.study!.id}/guides`;

  const renderIndex = (req: Request, res: Response, failed?: Failed) => {
    const page = s.guides.page(req.study!.id);
    res.status(failed ? 422 : 200).render('guides/index', {
      title: req.t('guides.title'),
      roles: rolesView(page.roles),
      bank: bankView(page.roles, page.questions),
      unprobed: page.unprobed,
      conditionCount: page.conditionCount,
      canEdit: req.studyRole === 'lead',
      failed: failed ?? { form: '', errors: {}, values: {} },
    });
  };

  const renderQuestionForm = (req: Request, res: Response, questionId: number | null, values: QuestionValues, errors: FieldErrors = {}) => {
    const options = s.guides.formOptions(req.study!.id, questionId);
    const study = req.study!;
    const levels = conditionChoices(s.repos.framework.load(study.id, study.framework_title, study.framework_revision).doc);
    res.status(Object.keys(errors).length ? 422 : 200).render('guides/question', {
      title: questionId === null ? req.t('guides.newQuestion') : req.t('guides.editQuestion', { number: options.number ?? '' }),
      action: questionId === null ? `${base(req)}/questions` : `${base(req)}/questions/${questionId}`,
      questionId,
      ...options,
      levels,
      values,
      errors,
    });
  };

  /** The stamp a changing form must carry; a request without one did not come from our form. */
  const stampFrom = (req: Request): string => {
    const form = parseForm(stampSchema, req.body);
    if (!form.ok) throw new HttpError(400, 'error.badRequest');
    return form.data.stamp;
  };

  /** Runs one change; refusals go to `onRefused`, success to a 303 with a message. */
  const attempt = (req: Request, res: Response, run: () => string | void, done: MessageKey, onRefused: (errors: FieldErrors, refusal: GuidesRefusal) => void) => {
    let location: string | void;
    try {
      location = run();
    } catch (err) {
      if (err instanceof GuidesRefusal) return onRefused(err.fields as FieldErrors, err);
      throw err;
    }
    setFlash(req, { kind: 'success', key: done });
    res.redirect(303, location || base(req));
  };

  const refusedOnIndex = (req: Request, res: Response, form: string) => (errors: FieldErrors) =>
    renderIndex(req, res, { form, errors, values: formValues(req.body) });

  return [
    /** @route GET /studies/:id/guides — roles, the question bank by theme, and the conditions no question probes. */
    route('get', '/studies/:id/guides', studyRole('viewer'), (req, res) => renderIndex(req, res)),

    /** @route POST /studies/:id/guides/roles — adds a role. */
    route('post', '/studies/:id/guides/roles', studyRole('lead'), (req, res) => {
      const form = parseForm(roleSchema, req.body);
      if (!form.ok) return renderIndex(req, res, { form: 'role-new', errors: form.errors, values: formValues(req.body) });
      attempt(req, res, () => void s.guides.addRole(req.study!.id, req.user!.id, form.data.name), 'guides.roleAdded', refusedOnIndex(req, res, 'role-new'));
    }),

    /** @route POST /studies/:id/guides/roles/:role — renames a role. */
    route('post', '/studies/:id/guides/roles/:role', studyRole('lead'), (req, res) => {
      const roleId = idParam(req.params.role);
      const stamp = stampFrom(req);
      const form = parseForm(roleSchema, req.body);
      if (!form.ok) return renderIndex(req, res, { form: `role-${roleId}`, errors: form.errors, values: formValues(req.body) });
      attempt(req, res, () => s.guides.renameRole(req.study!.id, req.user!.id, roleId, stamp, form.data.name), 'guides.roleRenamed',
        refusedOnIndex(req, res, `role-${roleId}`));
    }),

    /** @route POST /studies/:id/guides/roles/:role/delete — refused while interviews or questions use the role. */
    route('post', '/studies/:id/guides/roles/:role/delete', studyRole('lead'), (req, res) => {
      const roleId = idParam(req.params.role);
      const stamp = stampFrom(req);
      attempt(req, res, () => s.guides.deleteRole(req.study!.id, req.user!.id, roleId, stamp), 'guides.roleDeleted',
        refusedOnIndex(req, res, `role-${roleId}`));
    }),

    /** @route GET /studies/:id/guides/questions/new */
    route('get', '/studies/:id/guides/questions/new', studyRole('lead'), (req, res) => {
      renderQuestionForm(req, res, null, { section: String(req.query.section ?? ''), text: '', conditions: [], roles: [] });
    }),

    /** @route POST /studies/:id/guides/questions — adds a question at the end of its theme. */
    route('post', '/studies/:id/guides/questions', studyRole('lead'), (req, res) => {
      const values = questionValuesOf(req.body);
      const form = parseForm(questionSchema, req.body);
      if (!form.ok) return renderQuestionForm(req, res, null, values, form.errors);
      attempt(req, res, () => `${base(req)}#q-${s.guides.addQuestion(req.study!.id, req.user!.id, inputOf(form.data))}`, 'guides.questionAdded',
        (errors) => renderQuestionForm(req, res, null, values, errors));
    }),

    /** @route GET /studies/:id/guides/questions/:question/edit */
    route('get', '/studies/:id/guides/questions/:question/edit', studyRole('lead'), (req, res) => {
      const questionId = idParam(req.params.question);
      const q = s.guides.question(req.study!.id, questionId);
      renderQuestionForm(req, res, questionId, {
        section: q.section,
        text: q.text,
        conditions: q.conditions.map((c) => c.code),
        roles: q.roleIds.map(String),
        stamp: questionStamp(q),
      });
    }),

    /** @route POST /studies/:id/guides/questions/:question — saves a question; a stale form comes back with the input kept. */
    route('post', '/studies/:id/guides/questions/:question', studyRole('lead'), (req, res) => {
      const questionId = idParam(req.params.question);
      const values = questionValuesOf(req.body);
      const form = parseForm(questionSchema, req.body);
      if (!form.ok) return renderQuestionForm(req, res, questionId, values, form.errors);
      attempt(req, res, () => {
        s.guides.updateQuestion(req.study!.id, req.user!.id, questionId, form.data.stamp, inputOf(form.data));
        return `${base(req)}#q-${questionId}`;
      }, 'guides.questionSaved', (errors, refusal) => {
        // Saving again replaces the other change: the form now carries the current stamp.
        if (refusal.currentStamp) values.stamp = refusal.currentStamp;
        renderQuestionForm(req, res, questionId, values, errors);
      });
    }),

    /** @route POST /studies/:id/guides/questions/:question/delete */
    route('post', '/studies/:id/guides/questions/:question/delete', studyRole('lead'), (req, res) => {
      const questionId = idParam(req.params.question);
      const stamp = stampFrom(req);
      attempt(req, res, () => s.guides.deleteQuestion(req.study!.id, req.user!.id, questionId, stamp), 'guides.questionDeleted',
        refusedOnIndex(req, res, `question-${questionId}`));
    }),

    /** @route POST /studies/:id/guides/questions/:question/move — one place up or down within its theme. */
    route('post', '/studies/:id/guides/questions/:question/move', studyRole('lead'), (req, res) => {
      const questionId = idParam(req.params.question);
      const form = parseForm(moveSchema, req.body);
      if (!form.ok) throw new HttpError(400, 'error.badRequest');
      const moved = s.guides.moveQuestion(req.study!.id, req.user!.id, questionId, form.data.direction);
      if (moved) setFlash(req, { kind: 'success', key: 'guides.moved' });
      res.redirect(303, `${base(req)}#q-${questionId}`);
    }),

    /** @route POST /studies/:id/guides/sections/move — a whole theme before the previous or after the next one. */
    route('post', '/studies/:id/guides/sections/move', studyRole('lead'), (req, res) => {
      const form = parseForm(sectionMoveSchema, req.body);
      if (!form.ok) throw new HttpError(400, 'error.badRequest');
      const moved = s.guides.moveSection(req.study!.id, req.user!.id, form.data.section, form.data.direction);
      if (moved) setFlash(req, { kind: 'success', key: 'guides.moved' });
      res.redirect(303, `${base(req)}#bank`);
    }),

    /** @route GET /studies/:id/guides/:role — the printable interview guide of one role, in the study's language. */
    route('get', '/studies/:id/guides/:role', studyRole('viewer'), (req, res) => {
      const study = req.study!;
      const { role, questions } = s.guides.guide(study.id, idParam(req.params.role));
      res.render('guides/guide', {
        title: req.t('guides.guideFor', { role: role.name }),
        role,
        sections: guideView(questions),
        questionCount: questions.length,
        questionHtml: renderMarkdown(study.question),
        docT: translator(study.language),
      });
    }),
  ];
}
