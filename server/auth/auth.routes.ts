// Logging in and out, the first-run administrator form, one-time set-password links, and the
// language switch that also works before login.
import type { NextFunction, Request, Response } from 'express';
import { PUBLIC, SETUP, route, type RouteDef } from '../http/authorize.ts';
import { rememberLanguage } from '../http/cookies.ts';
import { setFlash } from '../http/flash.ts';
import { parseForm, renderInvalid } from '../http/forms.ts';
import { toAuthUser } from '../http/passport.ts';
import type { AuthUser } from '../http/types.ts';
import { HttpError } from '../lib/errors.ts';
import type { Services } from '../services.ts';
import { languageSchema, loginSchema, passwordPair, safeNext, setupSchema } from './auth.schemas.ts';

function logIn(req: Request, user: AuthUser): Promise<void> {
  // passport regenerates the session id here, so a session fixed before login is worthless.
  return new Promise((resolve, reject) => req.logIn(user, (err) => (err ? reject(err) : resolve())));
}

export function authRoutes(s: Services): RouteDef[] {
  const loginView = (req: Request) => ({ title: req.t('login.title'), next: safeNext(req.query.next ?? req.body?.next) });

  return [
    /** @route GET / — the start page is the list of studies. */
    route('get', '/', PUBLIC, (req, res) => res.redirect(303, req.user ? '/studies' : '/login')),

    /** @route GET /login */
    route('get', '/login', PUBLIC, (req, res) => {
      if (req.user) return res.redirect(303, '/studies');
      res.render('auth/login', { ...loginView(req), values: {}, errors: {} });
    }),

    /** @route POST /login — rate-limited per account and address, and per address (login-throttle.ts). */
    route('post', '/login', PUBLIC, (req: Request, res: Response, next: NextFunction) => {
      const form = parseForm(loginSchema, req.body);
      if (!form.ok) return renderInvalid(res, 'auth/login', loginView(req), form.errors, req.body);
      const email = form.data.email.toLowerCase();
      const address = req.ip ?? 'unknown';
      const minutes = s.loginThrottle.blockedForMinutes(email, address);
      if (minutes > 0) {
        res.setHeader('Retry-After', String(minutes * 60));
        return renderInvalid(res, 'auth/login', loginView(req), { _form: { key: 'login.tooMany', params: { minutes } } }, req.body, 429);
      }
      // Count the attempt before the slow password check, so parallel guesses cannot slip past the limit.
      const attempt = s.loginThrottle.beginAttempt(email, address);
      s.users.authenticate(email, form.data.password).then(async (user) => {
        if (!user) {
          s.loginThrottle.recordFailure(attempt);
          return renderInvalid(res, 'auth/login', loginView(req), { _form: { key: 'login.failed' } }, req.body, 401);
        }
        s.loginThrottle.recordSuccess(email, address);
        await logIn(req, toAuthUser(user));
        res.redirect(303, safeNext(req.body.next));
      }, next);
    }),

    /** @route POST /logout */
    route('post', '/logout', PUBLIC, (req, res, next) => {
      req.logOut((err) => {
        if (err) return next(err);
        req.session.destroy(() => {
          res.clearCookie('kader.sid');
          res.redirect(303, '/login');
        });
      });
    }),

    /** @route GET /setup — only while no account exists. */
    route('get', '/setup', SETUP, (req, res) => {
      res.render('auth/setup', { title: req.t('setup.title'), values: {}, errors: {} });
    }),

    /** @route POST /setup */
    route('post', '/setup', SETUP, async (req, res) => {
      const view = { title: req.t('setup.title') };
      const form = parseForm(setupSchema, req.body);
      if (!form.ok) return renderInvalid(res, 'auth/setup', view, form.errors, req.body);
      const user = await s.users.createFirstAdmin(form.data);
      if (!user) throw new HttpError(404, 'error.notFound');
      await logIn(req, toAuthUser(user));
      setFlash(req, { kind: 'success', key: 'setup.done' });
      res.redirect(303, '/studies');
    }),

    /** @route GET /set-password/:token — the one-time link an administrator passed on. */
    route('get', '/set-password/:token', PUBLIC, (req, res) => {
      const user = s.users.findByToken(String(req.params.token));
      if (!user) throw new HttpError(410, 'setPassword.invalid');
      res.render('auth/set-password', { title: req.t('setPassword.title'), email: user.email, values: {}, errors: {} });
    }),

    /** @route POST /set-password/:token */
    route('post', '/set-password/:token', PUBLIC, async (req, res) => {
      const token = String(req.params.token);
      const found = s.users.findByToken(token);
      if (!found) throw new HttpError(410, 'setPassword.invalid');
      const form = parseForm(passwordPair, req.body);
      if (!form.ok) {
        return renderInvalid(res, 'auth/set-password', { title: req.t('setPassword.title'), email: found.email }, form.errors, req.body);
      }
      const user = await s.users.setPasswordWithToken(token, form.data.password);
      if (!user) throw new HttpError(410, 'setPassword.invalid');
      if (req.user) await new Promise<void>((resolve) => req.logOut(() => resolve()));
      await logIn(req, toAuthUser(user));
      setFlash(req, { kind: 'success', key: 'setPassword.done' });
      res.redirect(303, '/studies');
    }),

    /**
     * @route POST /language — for a signed-in user this changes their setting. The choice is also kept
     * in a cookie (http/cookies.ts), never in the session: a visitor's choice writes nothing to the database.
     */
    route('post', '/language', PUBLIC, (req, res) => {
      const form = parseForm(languageSchema, req.body);
      if (!form.ok) throw new HttpError(400, 'error.badRequest');
      if (req.user) s.users.updateProfile(req.user.id, req.user.name, form.data.language, req.user.id);
      // Signed in too: the login page after logging out stays in the chosen language.
      rememberLanguage(req, res, form.data.language);
      res.redirect(303, safeNext(form.data.next));
    }),
  ];
}
