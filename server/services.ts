// Builds the repositories and services from one database handle; shared by the app and the CLI.
import type { Config } from './config.ts';
import type { Db } from './lib/db.ts';
import { auditRepo } from './audit/audit.repo.ts';
import { loginThrottle } from './auth/login-throttle.ts';
import { studiesRepo } from './studies/studies.repo.ts';
import { studiesService } from './studies/studies.service.ts';
import { usersRepo } from './users/users.repo.ts';
import { usersService } from './users/users.service.ts';

export type Clock = () => Date;

export function createServices(db: Db, clock: Clock, config: Pick<Config, 'login'>) {
  const audit = auditRepo(db);
  const users = usersRepo(db);
  const studies = studiesRepo(db);
  return {
    db,
    clock,
    repos: { audit, users, studies },
    users: usersService({ db, users, audit, now: clock }),
    studies: studiesService({ db, studies, users, audit, now: clock }),
    loginThrottle: loginThrottle(db, { ...config.login, now: () => clock().getTime() }),
  };
}
export type Services = ReturnType<typeof createServices>;
