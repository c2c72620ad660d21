// Every user's own account: name, interface language and password.
import { z } from 'zod';
import { USER, route, type RouteDef } from '../http/authorize.ts';
import { setFlash } from '../http/flash.ts';
import { parseForm, renderInvalid, type FieldErrors } from '../http/forms.ts';
import { RuleError } from '../lib/errors.ts';
import type { Services } from '../services.ts';
import { newPassword, personName } from '../auth/auth.schemas.ts';

const profileSchema = z.object({
  name: personName,
  language: z.enum(['', 'en', 'nl']).transform((v) => (v === '' ? null : v)),
});

const passwordSchema = z
  .object({ currentPassword: z.string().min(1).max(200), password: newPassword, passwordConfirm: z.string() })
  .refine((v) => v.password === v.passwordConfirm, { message: 'form.passwordMismatch', path: ['passwordConfirm'] });

export function accountRoutes(s: Services): RouteDef[] {
  const view = (req: Express.Request) => ({
    title: req.t('account.title'),
    values: { name: req.user!.name, language: req.user!.language ?? '' },
    errors: {},
    passwordErrors: {},
  });

  return [
    /** @route GET /account */
    route('get', '/account', USER, (req, res) => res.render('account/edit', view(req))),

    /** @route POST /account — name and language. */
    route('post', '/account', USER, (req, res) => {
      const form = parseForm(profileSchema, req.body);
      if (!form.ok) return renderInvalid(res, 'account/edit', view(req), form.errors, req.body);
      s.users.updateProfile(req.user!.id, form.data.name, form.data.language, req.user!.id);
      setFlash(req, { kind: 'success', key: 'account.saved' });
      res.redirect(303, '/account');
    }),

    /** @route POST /account/password */
    route('post', '/account/password', USER, async (req, res) => {
      const form = parseForm(passwordSchema, req.body);
      const invalid = (errors: FieldErrors) =>
        res.status(422).render('account/edit', { ...view(req), passwordErrors: errors });
      if (!form.ok) return invalid(form.errors);
      try {
        await s.users.changePassword(req.user!.id, form.data.currentPassword, form.data.password, req.sessionID);
      } catch (err) {
        if (err instanceof RuleError) return invalid({ [err.field ?? '_form']: { key: err.messageKey } });
        throw err;
      }
      setFlash(req, { kind: 'success', key: 'account.passwordChanged' });
      res.redirect(303, '/account');
    }),
  ];
}
