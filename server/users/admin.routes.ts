// Site administration: accounts (create with a one-time link, deactivate, reset password,
// administrator rights) and the site-wide audit log.
import type { Request } from 'express';
import { z } from 'zod';
import { ADMIN, route, type RouteDef } from '../http/authorize.ts';
import { setFlash } from '../http/flash.ts';
import { parseForm, renderInvalid } from '../http/forms.ts';
import { HttpError, notFound, RuleError } from '../lib/errors.ts';
import type { Services } from '../services.ts';
import { email, personName } from '../auth/auth.schemas.ts';
import { renderAuditLog } from '../audit/audit.page.ts';

const createSchema = z.object({ email, name: personName, isAdmin: z.literal('on').optional() });
const flagSchema = z.object({ value: z.enum(['0', '1']).transform((v) => v === '1') });

/** The absolute link a new user opens to choose a password. */
export function setPasswordLink(req: Request, publicUrl: string | undefined, token: string): string {
  return `${publicUrl ?? `${req.protocol}://${req.get('host')}`}/set-password/${token}`;
}

export function adminRoutes(s: Services, publicUrl: string | undefined): RouteDef[] {
  const listView = (req: Request) => ({ title: req.t('admin.users.title'), users: s.repos.users.list(), requests: s.accountRequests.pending(), values: {}, errors: {} });
  const requestId = (req: Request) => {
    const id = Number(req.params.requestId);
    if (!Number.isSafeInteger(id) || id <= 0) throw notFound();
    return id;
  };
  const userOr404 = (req: Request) => {
    const user = s.repos.users.findById(Number(req.params.userId));
    if (!user) throw notFound();
    return user;
  };
  const linkFlash = (req: Request, token: string) =>
    setFlash(req, { kind: 'success', key: 'admin.users.link', params: { link: setPasswordLink(req, publicUrl, token) } });

  return [
    /** @route GET /admin/users */
    route('get', '/admin/users', ADMIN, (req, res) => res.render('admin/users', listView(req))),

    /** @route POST /admin/users — creates an account and shows its one-time set-password link. */
    route('post', '/admin/users', ADMIN, async (req, res) => {
      const form = parseForm(createSchema, req.body);
      if (!form.ok) return renderInvalid(res, 'admin/users', listView(req), form.errors, req.body);
      try {
        const { user, token } = await s.users.create(
          { email: form.data.email, name: form.data.name, isAdmin: form.data.isAdmin === 'on' },
          req.user!.id,
        );
        linkFlash(req, token!);
        res.redirect(303, `/admin/users/${user.id}`);
      } catch (err) {
        if (err instanceof RuleError) return renderInvalid(res, 'admin/users', listView(req), { [err.field ?? '_form']: { key: err.messageKey } }, req.body);
        throw err;
      }
    }),

    /**
     * @route POST /admin/account-requests/:requestId/create — creates the account a lead asked for and
     * adds it to the study with the role asked for; shows the one-time link.
     */
    route('post', '/admin/account-requests/:requestId/create', ADMIN, (req, res) => {
      try {
        const { request, token } = s.accountRequests.approve(requestId(req), req.user!.id);
        const params = { email: request.email, study: request.study_title };
        if (token) setFlash(req, { kind: 'success', key: 'requests.created', params: { ...params, link: setPasswordLink(req, publicUrl, token) } });
        else setFlash(req, { kind: 'success', key: 'requests.addedExisting', params });
      } catch (err) {
        if (!(err instanceof RuleError)) throw err;
        setFlash(req, { kind: 'error', key: err.messageKey });
      }
      res.redirect(303, '/admin/users');
    }),

    /** @route POST /admin/account-requests/:requestId/dismiss */
    route('post', '/admin/account-requests/:requestId/dismiss', ADMIN, (req, res) => {
      try {
        const request = s.accountRequests.dismiss(requestId(req), req.user!.id);
        setFlash(req, { kind: 'success', key: 'requests.dismissed', params: { email: request.email } });
      } catch (err) {
        if (!(err instanceof RuleError)) throw err;
        setFlash(req, { kind: 'error', key: err.messageKey });
      }
      res.redirect(303, '/admin/users');
    }),

    /** @route GET /admin/users/:userId */
    route('get', '/admin/users/:userId', ADMIN, (req, res) => {
      const user = userOr404(req);
      res.render('admin/user', { title: user.name, user, isSelf: user.id === req.user!.id });
    }),

    /** @route POST /admin/users/:userId/active — value=0 deactivates, value=1 reactivates. */
    route('post', '/admin/users/:userId/active', ADMIN, (req, res) => {
      const user = userOr404(req);
      const form = parseForm(flagSchema, req.body);
      if (!form.ok) throw new HttpError(400, 'error.badRequest');
      try {
        s.users.setActive(user.id, form.data.value, req.user!.id);
        setFlash(req, { kind: 'success', key: form.data.value ? 'admin.users.activated' : 'admin.users.deactivated' });
      } catch (err) {
        if (!(err instanceof RuleError)) throw err;
        setFlash(req, { kind: 'error', key: err.messageKey });
      }
      res.redirect(303, `/admin/users/${user.id}`);
    }),

    /** @route POST /admin/users/:userId/admin — value=1 grants, value=0 revokes administrator rights. */
    route('post', '/admin/users/:userId/admin', ADMIN, (req, res) => {
      const user = userOr404(req);
      const form = parseForm(flagSchema, req.body);
      if (!form.ok) throw new HttpError(400, 'error.badRequest');
      try {
        s.users.setAdmin(user.id, form.data.value, req.user!.id);
        setFlash(req, { kind: 'success', key: 'admin.users.saved' });
      } catch (err) {
        if (!(err instanceof RuleError)) throw err;
        setFlash(req, { kind: 'error', key: err.messageKey });
      }
      res.redirect(303, `/admin/users/${user.id}`);
    }),

    /** @route POST /admin/users/:userId/reset-password — a new one-time link; the old password stays until it is used. */
    route('post', '/admin/users/:userId/reset-password', ADMIN, (req, res) => {
      const user = userOr404(req);
      linkFlash(req, s.users.issuePasswordReset(user.id, req.user!.id));
      res.redirect(303, `/admin/users/${user.id}`);
    }),

    /** @route GET /admin/audit — changes to accounts: newest first, 50 a page (?before=ID); filters as the study's log (audit.page.ts). */
    route('get', '/admin/audit', ADMIN, (req, res) => renderAuditLog(s, req, res, { studyId: null, title: req.t('audit.siteTitle'), basePath: '/admin/audit' })),
  ];
}
