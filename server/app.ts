// createApp: the middleware order, the routes with their access rules, the 404 and the error
// handler. Tests drive the returned app with supertest; main.ts starts it.
import path from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import type { Config } from './config.ts';
import type { Db } from './lib/db.ts';
import { chooseLanguage, translator } from './lib/i18n.ts';
import type { Logger } from './lib/logger.ts';
import { ROOT } from './lib/root.ts';
import { randomToken } from './lib/tokens.ts';
import { createServices, type Clock, type Services } from './services.ts';
import { authorize, type RouteDef } from './http/authorize.ts';
import { createPassport } from './http/passport.ts';
import { chosenLanguage } from './http/cookies.ts';
import { exposeCsrfToken, verifyCsrf } from './http/csrf.ts';
import { errorHandler, notFoundHandler } from './http/errors.ts';
import { takeFlash } from './http/flash.ts';
import { pageCache } from './http/page-cache.ts';
import { requestLog } from './http/request-log.ts';
import { SqliteSessionStore } from './http/session-store.ts';
import { layoutEngine } from './http/views.ts';
import './http/types.ts';
import { accountRoutes } from './account/account.routes.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { healthRoutes } from './health/health.routes.ts';
import { studiesRoutes } from './studies/studies.routes.ts';
import { studyNav } from './studies/studies.nav.ts';
import { frameworkRoutes } from './framework/framework.routes.ts';
import { casesRoutes } from './cases/cases.routes.ts';
import { guidesRoutes } from './guides/guides.routes.ts';
import { interviewsRoutes } from './interviews/interviews.routes.ts';
import { documentsRoutes } from './documents/documents.routes.ts';
import { searchRoutes } from './search/search.routes.ts';
import { evidenceRoutes } from './evidence/evidence.routes.ts';
import { assignmentRoutes } from './assignment/assignment.routes.ts';
import { ratingsRoutes } from './ratings/ratings.routes.ts';
import { agreementRoutes } from './agreement/agreement.routes.ts';
import { reconcileRoutes } from './reconcile/reconcile.routes.ts';
import { crossCaseRoutes } from './cross-case/cross-case.routes.ts';
import { reductionRoutes } from './reduction/reduction.routes.ts';
import { reportsRoutes } from './reports/reports.routes.ts';
import { withinRoutes } from './within-case/within.routes.ts';
import { studyFileRoutes } from './studyfile/studyfile.routes.ts';
import { anonymiseRoutes } from './anonymise/anonymise.routes.ts';
import { exportsRoutes } from './exports/exports.routes.ts';
import { adminRoutes } from './users/admin.routes.ts';
import { demoRoutes } from './demo/demo.routes.ts';

export const VIEWS_DIR = path.join(ROOT, 'views');
const PUBLIC_DIR = path.join(ROOT, 'public');

export interface AppDeps {
  config: Readonly<Config>;
  db: Db;
  logger: Logger;
  clock?: Clock;
  sessionSecret: string;
}

export interface KaderApp extends Express {
  /** Every route with the access it requires, in registration order: the authorisation test reads this. */
  routeTable: RouteDef[];
  /** The services the routes use (tests call them directly, e.g. to wait for background work). */
  services: Services;
}

export function createApp(deps: AppDeps): KaderApp {
  const { config, db, logger } = deps;
  const clock = deps.clock ?? (() => new Date());
  const services = createServices(db, clock, config);

  const app = express() as unknown as KaderApp;
  app.services = services;
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.engine('ejs', layoutEngine(VIEWS_DIR));
  app.set('view engine', 'ejs');
  app.set('views', VIEWS_DIR);
  // The study navigation's model, for views/studies/_nav.ejs.
  app.locals.studyNav = studyNav;
  app.set('view cache', true);
  // Pages for a signed-in user are no-store, so an ETag (a SHA-1 of every body) would never be used.
  app.set('etag', false);

  app.use(requestLog(logger));
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      referrerPolicy: { policy: 'same-origin' },
      xFrameOptions: { action: 'deny' },
      strictTransportSecurity: config.trustProxy !== false,
    }),
  );
  app.use('/static', express.static(PUBLIC_DIR, { maxAge: config.env === 'production' ? '1d' : 0, index: false }));

  // Before the session: a cached page notes the database's version before anything reads from it.
  const pages = pageCache(db);
  app.use(pages.begin);
  app.use(
    session({
      name: 'kader.sid',
      secret: deps.sessionSecret,
      genid: () => randomToken(24),
      store: new SqliteSessionStore(db, config.sessionMaxAgeMs),
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: config.sessionMaxAgeMs },
    }),
  );
  const passport = createPassport(services);
  // No passport.initialize(): passport.session() sets up req.logIn and the rest itself (passport ≥ 0.6).
  app.use(passport.session());

  // Language, translator and what every page needs.
  app.use((req: Request, res: Response, next: NextFunction) => {
    req.language = chooseLanguage(req.user?.language, chosenLanguage(req), (langs) => req.acceptsLanguages(...langs));
    req.t = translator(req.language);
    res.locals.t = req.t;
    res.locals.lang = req.language;
    res.locals.currentUser = req.user ?? null;
    res.locals.currentPath = req.path;
    // Pages for a signed-in user are personal: no shared cache may keep them.
    if (req.user) res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(exposeCsrfToken);
  app.use(takeFlash);

  // First run: with no account yet, every page leads to the administrator form.
  let usersExist = services.users.hasUsers();
  const hasUsers = () => (usersExist ||= services.users.hasUsers());
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path === '/setup' || req.path === '/healthz' || req.path === '/language' || hasUsers()) return next();
    res.redirect(303, '/setup');
  });

  app.routeTable = [
    ...healthRoutes(services),
    ...authRoutes(services),
    ...accountRoutes(services),
    ...adminRoutes(services, config.publicUrl),
    ...demoRoutes(services, config),
    // Before the study routes: /studies/import must not be taken for /studies/:id.
    ...studyFileRoutes(services),
    ...studiesRoutes(services, config.publicUrl),
    ...frameworkRoutes(services),
    ...casesRoutes(services),
    ...guidesRoutes(services),
    ...interviewsRoutes(services),
    ...documentsRoutes(services, config),
    ...searchRoutes(services),
    ...evidenceRoutes(services),
    ...assignmentRoutes(services),
    ...ratingsRoutes(services),
    ...agreementRoutes(services),
    ...reconcileRoutes(services),
    ...crossCaseRoutes(services),
    ...reductionRoutes(services),
    ...reportsRoutes(services),
    ...anonymiseRoutes(services),
    ...exportsRoutes(services),
    ...withinRoutes(services),
  ];
  // Every route: its access check, then for a change its body (form fields or JSON, and the upload
  // parser of a multipart form; read only once access is granted, and not for a page view) and the CSRF check.
  const parseBody = [express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 2000 }), express.json({ limit: '1mb' })];
  for (const r of app.routeTable) {
    const chain = [authorize(r.access, { studies: services.repos.studies, hasUsers })];
    if (r.cached) chain.push(pages.serve(r.path));
    if (r.method !== 'get') chain.push(...parseBody);
    if (r.upload) chain.push(r.upload);
    if (r.method !== 'get') chain.push(verifyCsrf);
    app[r.method](r.path, ...chain, ...r.handlers);
  }

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
