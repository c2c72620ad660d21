// passport-local over our accounts; one Passport instance per app (tests build many apps).
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Services } from '../services.ts';
import type { UserRow } from '../users/users.repo.ts';
import type { AuthUser } from './types.ts';

export function toAuthUser(row: UserRow): AuthUser {
  return { id: row.id, email: row.email, name: row.name, isAdmin: row.is_admin === 1, language: row.language };
}

export function createPassport(services: Services): passport.PassportStatic {
  const instance = new passport.Passport() as passport.PassportStatic;
  instance.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
      services.users.authenticate(email, password).then(
        (user) => done(null, user ? toAuthUser(user) : false),
        (err: unknown) => done(err),
      );
    }),
  );
  instance.serializeUser((user, done) => done(null, (user as AuthUser).id));
  instance.deserializeUser((id: number, done) => {
    const row = services.repos.users.findById(id);
    // A deactivated account loses its sessions at the next request.
    done(null, row && row.active === 1 ? toAuthUser(row) : false);
  });
  return instance;
}
