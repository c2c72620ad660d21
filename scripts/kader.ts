// The `kader` command line (../shared/design/cli.md): npm run --silent kader -- <command> [options].
// Errors go to stderr with a non-zero exit status; nothing is half-written.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig, type Config } from '../server/config.ts';
import { email as emailSchema, newPassword, personName } from '../server/auth/auth.schemas.ts';
import { backupTo, BackupError, restoreFrom } from '../server/lib/backup.ts';
import { openDb } from '../server/lib/db.ts';
import { makePrivateDir, PRIVATE_UMASK, secureDataDir } from '../server/lib/private-files.ts';
import { RuleError } from '../server/lib/errors.ts';
import { translate } from '../server/lib/i18n.ts';
import { migrate, MigrationError } from '../server/lib/migrate.ts';
import { runningServerPid } from '../server/lib/pid-file.ts';
import { randomToken } from '../server/lib/tokens.ts';
import { createServices } from '../server/services.ts';
import { agreementCsv } from '../server/agreement/agreement.csv.ts';
import { parseStudyFileText, type Problem } from '../server/studyfile/studyfile.validate.ts';
import { DEMO_PEOPLE, DEMO_TITLE, loadDemo } from '../server/demo/demo.service.ts';

class UsageError extends Error {}

const USAGE = `Usage: npm run --silent kader -- <command> [options]

  user:create --email E --name N [--admin] [--password-stdin]
                         create an account (password from stdin, or a generated one printed once)
  study:list             one line per study: id, title
  study:import FILE.json [--owner EMAIL]
                         import a study file as a new study; prints {"study": ID}; creates the
                         accounts it needs (audited, with "kader" as who) and prints their links on stderr
  study:export ID [--anonymize] [--out FILE]
                         write the study file (the complete archive) to stdout or FILE;
                         --anonymize: case names and keys replaced by pseudonyms everywhere
  ratings:import ID FILE.csv
                         import submitted ratings (all or nothing); prints {"ratings": N, "cases": M}
  agreement ID [--format json|csv]
                         agreement statistics of the submitted scores (default json)
  analysis ID [--format json]
                         within- and cross-case analysis of the final scores
  backup FILE            consistent copy of the database (uploads next to it in FILE.uploads/)
  restore FILE           replace the data with a backup (refused while the server runs)
  demo                   load the demo study; prints its address and the demo accounts (refused when loaded before)

Environment: DATA_DIR (default ./data), as for the server.`;

function openServices(config: Readonly<Config>) {
  secureDataDir(config);
  const db = openDb(config.dbFile);
  migrate(db, { backupDir: path.join(config.dataDir, 'backups') });
  return createServices(db, () => new Date(), config);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

const userCreateArgs = z.object({ email: emailSchema, name: personName });

async function userCreate(config: Readonly<Config>, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, name: { type: 'string' }, admin: { type: 'boolean' }, 'password-stdin': { type: 'boolean' } },
    strict: true,
  });
  const parsed = userCreateArgs.safeParse(values);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `--${String(i.path[0])}`).join(', ');
    throw new UsageError(`user:create needs a valid --email and --name (problem with ${fields}).`);
  }
  const generated = !values['password-stdin'];
  const password = generated ? randomToken(12) : await readStdin();
  if (!newPassword.safeParse(password).success) throw new UsageError('The password from stdin must be 8 to 200 characters long.');
  const services = openServices(config);
  try {
    const { user } = await services.users.create({ ...parsed.data, isAdmin: values.admin ?? false, password }, null);
    console.log(`Created account ${user.id}: ${user.email}${user.is_admin ? ' (administrator)' : ''}`);
    if (generated) console.log(`Password (shown once): ${password}`);
  } catch (err) {
    if (err instanceof RuleError) throw new UsageError(translate('en', err.messageKey, err.params));
    throw err;
  } finally {
    services.db.close();
  }
}

function studyList(config: Readonly<Config>): void {
  const services = openServices(config);
  for (const s of services.repos.studies.listIdsAndTitles()) console.log(`${s.id}\t${s.title}`);
  services.db.close();
}

/** Every problem of a study file, one per line, in English (the CLI's language). */
function problemLines(problems: Problem[]): string {
  return problems.map((p) => `  ${p.path || '(file)'}: ${translate('en', p.key, p.params)}`).join('\n');
}

async function studyImport(config: Readonly<Config>, args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, options: { owner: { type: 'string' } }, allowPositionals: true, strict: true });
  const file = positionals[0];
  if (!file) throw new UsageError('study:import needs a file: study:import FILE.json [--owner EMAIL]');
  if (!fs.existsSync(file)) throw new UsageError(`${file} does not exist.`);
  const result = parseStudyFileText(fs.readFileSync(file, 'utf8'));
  if (!result.ok) throw new UsageError(`${file} was not imported; nothing was changed. ${result.problems.length} problem(s):\n${problemLines(result.problems)}`);
  const services = openServices(config);
  try {
    let owner: number | null = null;
    if (values.owner) {
      const user = services.repos.users.findByEmail(values.owner.trim());
      if (!user) throw new UsageError(`There is no account for ${values.owner}; create it first with user:create.`);
      owner = user.id;
    }
    // The operator on the server acts as Kader itself (no actor): like an administrator it creates the
    // accounts the file needs, each written to the account log with "kader" as who and the study as why.
    const { studyId, createdAccounts } = await services.studyFile.importer.run(result.doc, { owner, actorId: null });
    for (const a of createdAccounts) {
      console.error(a.token
        ? `created account ${a.email}; set-password link: /set-password/${a.token}`
        : `created account ${a.email} (named only as a decider; no password link: issue one under Accounts if they are to sign in)`);
    }
    console.log(JSON.stringify({ study: studyId }));
  } finally {
    services.db.close();
  }
}

function studyExport(config: Readonly<Config>, args: string[]): void {
  const { values, positionals } = parseArgs({ args, options: { out: { type: 'string' }, anonymize: { type: 'boolean' } }, allowPositionals: true, strict: true });
  const id = Number(positionals[0]);
  if (!Number.isSafeInteger(id) || id < 1) throw new UsageError('study:export needs a study id: study:export ID [--anonymize] [--out FILE]');
  const services = openServices(config);
  try {
    if (!services.repos.studies.findById(id)) throw new UsageError(`There is no study ${id}; see study:list.`);
    // --anonymize: study-format.md; the choices (pseudonymous keys, order) are in studyfile.export.ts anonymiseStudyFile.
    const anonymisation = values.anonymize ? services.anonymise.context(id) : undefined;
    const json = `${JSON.stringify(services.studyFile.exporter.run(id, 'archive', anonymisation), null, 2)}\n`;
    if (values.out) {
      const tmp = `${values.out}.partial`;
      fs.writeFileSync(tmp, json);
      fs.renameSync(tmp, values.out);
    } else process.stdout.write(json);
  } finally {
    services.db.close();
  }
}

/** Agreement of the submitted scores of cases that are no longer blind: what a lead sees (cli.md "agreement"). */
function agreement(config: Readonly<Config>, args: string[]): void {
  const { values, positionals } = parseArgs({ args, options: { format: { type: 'string', default: 'json' } }, allowPositionals: true, strict: true });
  const id = Number(positionals[0]);
  if (!Number.isSafeInteger(id) || id < 1) throw new UsageError('agreement needs a study id: agreement ID [--format json|csv]');
  if (values.format !== 'json' && values.format !== 'csv') throw new UsageError(`--format must be json or csv, not "${values.format}".`);
  const services = openServices(config);
  try {
    if (!services.repos.studies.findById(id)) throw new UsageError(`There is no study ${id}; see study:list.`);
    const report = services.agreement.agreement(id);
    process.stdout.write(values.format === 'csv' ? agreementCsv(report) : `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    services.db.close();
  }
}

/** Within- and cross-case analysis of the final scores (cli.md "analysis ID --format json"). */
function analysis(config: Readonly<Config>, args: string[]): void {
  const { values, positionals } = parseArgs({ args, options: { format: { type: 'string', default: 'json' } }, allowPositionals: true, strict: true });
  const id = Number(positionals[0]);
  if (!Number.isSafeInteger(id) || id < 1) throw new UsageError('analysis needs a study id: analysis ID [--format json]');
  if (values.format !== 'json') throw new UsageError(`--format must be json, not "${values.format}".`);
  const services = openServices(config);
  try {
    if (!services.repos.studies.findById(id)) throw new UsageError(`There is no study ${id}; see study:list.`);
    process.stdout.write(`${JSON.stringify(services.analysis.analysis(id), null, 2)}\n`);
  } finally {
    services.db.close();
  }
}

/** Ratings CSV (study-format.md): on refusal every problem on stderr as `line N: reason`, status 1, nothing stored. */
function ratingsImport(config: Readonly<Config>, args: string[]): void {
  const [idText, file] = args;
  const id = Number(idText);
  if (!Number.isSafeInteger(id) || id < 1 || !file) throw new UsageError('ratings:import needs a study id and a file: ratings:import ID FILE.csv');
  if (!fs.existsSync(file)) throw new UsageError(`${file} does not exist.`);
  const services = openServices(config);
  try {
    if (!services.repos.studies.findById(id)) throw new UsageError(`There is no study ${id}; see study:list.`);
    const result = services.ratings.importCsv(id, null, path.basename(file), fs.readFileSync(file));
    if (result.ok) {
      console.log(JSON.stringify({ ratings: result.ratings, cases: result.cases, ratersAdded: result.ratersAdded, replacedDrafts: result.replacedDrafts }));
      return;
    }
    console.error(`kader: ${file} was not imported; nothing was stored. ${result.problems.length} problem(s):`);
    for (const p of result.problems) console.error(`${p.line === null ? 'file' : `line ${p.line}`}: ${translate('en', p.key, p.params)}`);
    process.exitCode = 1;
  } finally {
    services.db.close();
  }
}

function backup(config: Readonly<Config>, args: string[]): void {
  const file = args[0];
  if (!file) throw new UsageError('backup needs a file name: backup FILE');
  const services = openServices(config);
  try {
    console.log(JSON.stringify(backupTo(services.db, config.dataDir, config.uploadsDir, file)));
  } finally {
    services.db.close();
  }
}

function restore(config: Readonly<Config>, args: string[]): void {
  const file = args[0];
  if (!file) throw new UsageError('restore needs a file name: restore FILE');
  const pid = runningServerPid(config.dataDir);
  if (pid) throw new UsageError(`A Kader server (process ${pid}) is using ${config.dataDir}. Stop it first; nothing was changed.`);
  makePrivateDir(config.dataDir);
  const result = restoreFrom(file, config, new Date().toISOString().replace(/[:.]/g, '-'));
  secureDataDir(config);
  console.log(JSON.stringify({ restored: path.resolve(file), ...result }));
}

/** Loads the demo study and prints where it is and how to sign in (cli.md "demo"). */
async function demo(config: Readonly<Config>): Promise<void> {
  const services = openServices(config);
  const base = config.publicUrl ?? `http://${config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host}:${config.port}`;
  try {
    console.error('Loading the demo study and extracting the text of its documents…');
    const loaded = await loadDemo(services.db, config, { actorId: null });
    await loaded.textExtracted;
    const c = loaded.counts;
    console.log(`Loaded the demo study: ${c.cases} cases, ${c.interviews} interviews, ${c.documents} documents, ${c.evidence} pieces of evidence, ${c.ratings} ratings, ${c.decisions} final scores decided, ${c.analyses} case analyses.`);
    console.log(`Study: ${base}/studies/${loaded.studyId}`);
    console.log(`Accounts (password for all: ${loaded.password}):`);
    for (const a of loaded.accounts) console.log(`  ${a.email.padEnd(28)} ${a.role.padEnd(11)} ${a.name}`);
    console.log('These accounts share a published password: use them to try Kader out, not for real work.');
  } catch (err) {
    if (!(err instanceof RuleError)) throw err;
    const lead = services.repos.users.findByEmail(DEMO_PEOPLE[0].email);
    const study = lead && services.repos.studies.listForMember(lead.id).find((st) => st.title === DEMO_TITLE);
    throw new UsageError(`${translate('en', err.messageKey, err.params)}${study ? ` The demo study is at ${base}/studies/${study.id}.` : ''}`);
  } finally {
    services.db.close();
  }
}

async function main(argv: string[]): Promise<void> {
  // Backups, exports and the database files SQLite creates are their owner's only (private-files.ts).
  process.umask(PRIVATE_UMASK);
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return;
  }
  const config = loadConfig();
  switch (command) {
    case 'user:create':
      return userCreate(config, rest);
    case 'study:list':
      return studyList(config);
    case 'study:import':
      return studyImport(config, rest);
    case 'study:export':
      return studyExport(config, rest);
    case 'agreement':
      return agreement(config, rest);
    case 'analysis':
      return analysis(config, rest);
    case 'ratings:import':
      return ratingsImport(config, rest);
    case 'backup':
      return backup(config, rest);
    case 'restore':
      return restore(config, rest);
    case 'demo':
      return demo(config);
    default:
      throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const known = err instanceof UsageError || err instanceof BackupError || err instanceof MigrationError;
  console.error(known ? `kader: ${(err as Error).message}` : err);
  process.exitCode = known ? 2 : 1;
});
