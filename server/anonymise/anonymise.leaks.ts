// The leak check (the anonymisation page): writes every anonymised output of a study as its download
// would be — the study file, every CSV and JSON download, every XLSX workbook, the cross-case report
// and every case report as page and as Word file — reads each back in its format
// (anonymise.formats.ts), and lists where a case's name, alias or key is still to be found: as a word
// (anonymisation missed it) or inside a longer word ("Dordrechtse"), in any letter case and with or
// without accents.
//
// `outputs` is the one list of anonymised outputs, each with the address it is downloaded from; a test
// walks every route of the app and fails on an anonymised response whose address is not in it.
//
// The work is linear in the study (about 0.1 s per case, most of it writing the Word files): one
// analysis model and one anonymisation for all outputs, each report built once for its page and its
// Word file, each text read once by a trie (anonymise.matcher.ts); it stops after MAX_LEAKS findings.
// It gives way to other requests between outputs, and runs when the lead asks for it (a large study
// takes seconds to minutes); its last result is shown on the page, marked when the data changed since.
import { Writable } from 'node:stream';
import { dataVersionReader, type Db } from '../lib/db.ts';
import { notFound } from '../lib/errors.ts';
import type { Repos } from '../repos.ts';
import { agreementService } from '../agreement/agreement.service.ts';
import { analysisService } from '../analysis/analysis.service.ts';
import { CSV_TABLES, exportsService, WORKBOOKS } from '../exports/exports.service.ts';
import { tableCsv, type Table } from '../exports/exports.tables.ts';
import { writeWorkbook } from '../exports/exports.xlsx.ts';
import { reportDocx } from '../reports/reports.docx.ts';
import { renderReportHtml } from '../reports/reports.html.ts';
import { reportsService, type Report } from '../reports/reports.service.ts';
import { anonymisedCaseReportHref } from '../reports/reports.view.ts';
import { studyFileExporter } from '../studyfile/studyfile.export.ts';
import { escapeMarkup } from '../lib/escape.ts';
import { studyAnonymisation } from './anonymise.context.ts';
import { OUTPUT_FORMATS, type OutputFormat } from './anonymise.formats.ts';
import { findSuspects, type Anonymisation, type Suspect } from './anonymise.rules.ts';
import { anonymiseJson, anonymiseTable } from './anonymise.tables.ts';

/** One anonymised output of a study: where it is downloaded, its format, and how to write it. */
export interface AnonymisedOutput {
  /** The address of the download, as the exports page and the reports link it (`?anonymised=1` or /anonymised/…). */
  href: string;
  format: OutputFormat;
  write(): Promise<string | Buffer>;
}

/** One finding of the leak check: in which output, where in it, and what. */
export interface Leak extends Suspect {
  output: string;
  format: OutputFormat;
  location: string;
}

/** A finished leak check as the page shows it. */
export interface LatestCheck {
  leaks: Leak[];
  more: boolean;
  /** When it began (ISO). */
  at: string;
  /** Whether nothing in the database has changed since it began. */
  current: boolean;
}

/** At most this many findings are listed: enough to see what to add as aliases. */
export const MAX_LEAKS = 500;

/** Results kept: a few studies' worth (each the lead's findings, at most MAX_LEAKS). */
const KEPT_RESULTS = 16;

/** A value computed on first use. */
const once = <T>(make: () => T): (() => T) => {
  let value: { v: T } | undefined;
  return () => (value ??= { v: make() }).v;
};

/** A streamed workbook, collected. */
async function workbookBytes(tables: readonly Table[], title: string, created: Date): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await writeWorkbook(sink, tables, { title, created });
  return Buffer.concat(chunks);
}

/** The report as its page shows it: the title and the rendered template (the toolbar around it holds no data of the study). */
const reportPage = (report: Report) => `<title>${escapeMarkup(report.content.title)}</title>\n${renderReportHtml(report.template, report.content)}`;

export function leakCheckService(deps: { db: Db; repos: Repos; now: () => Date }) {
  const { repos } = deps;
  const anonymisationOf = studyAnonymisation(deps);
  const analysis = analysisService(deps);
  const exports = exportsService(deps);
  const agreement = agreementService(deps);
  const reports = reportsService({ ...deps, analysis });
  const exporter = studyFileExporter(repos);

  /**
   * Every anonymised output of the study as `userId` downloads it (the ratings they may see), written
   * with `a`. Each is written only when asked for.
   */
  function outputs(studyId: number, userId: number, a: Anonymisation): AnonymisedOutput[] {
    const study = repos.studies.findById(studyId);
    if (!study) throw notFound();
    const base = `/studies/${studyId}`;
    const q = '?anonymised=1';
    const modelOf = once(() => analysis.model(studyId));
    const byWorkbook = new Map(WORKBOOKS.map((w) => [w, once(() => exports.namedTables(w, studyId, userId, modelOf()).map((t) => anonymiseTable(t, a)))]));
    const tables = (workbook: (typeof WORKBOOKS)[number]) => byWorkbook.get(workbook)!();
    const csv = (href: string, workbook: (typeof WORKBOOKS)[number], name?: string): AnonymisedOutput => ({
      href,
      format: 'csv',
      write: async () => tableCsv(tables(workbook).find((t) => name === undefined || t.name === name)!),
    });
    // A report's page and Word file are made of one Report.
    const report = (href: string, build: () => Report, landscape: boolean): AnonymisedOutput[] => {
      const make = once(build);
      return [
        { href, format: 'html', write: async () => reportPage(make()) },
        { href: `${href.replace(q, '')}.docx${href.endsWith(q) ? q : ''}`, format: 'docx', write: () => reportDocx(make(), landscape) },
      ];
    };
    const reported = new Set(modelOf().cases.map((c) => c.key));
    return [
      { href: `${base}/exports/study.json${q}`, format: 'json', write: async () => JSON.stringify(exporter.run(studyId, 'unblinded', a), null, 2) },
      // The CSV downloads of the ratings, final scores and agreement are the tables of their workbooks.
      csv(`${base}/ratings.csv${q}`, 'ratings'),
      csv(`${base}/final-scores.csv${q}`, 'final-scores'),
      csv(`${base}/agreement.csv${q}`, 'agreement'),
      { href: `${base}/agreement.json${q}`, format: 'json', write: async () => JSON.stringify(anonymiseJson(agreement.agreement(studyId), a), null, 2) },
      ...(Object.keys(CSV_TABLES) as (keyof typeof CSV_TABLES)[]).map((name) => csv(`${base}/exports/${name}.csv${q}`, CSV_TABLES[name], name)),
      ...WORKBOOKS.map((workbook): AnonymisedOutput => ({
        href: `${base}/exports/${workbook}.xlsx${q}`,
        format: 'xlsx',
        write: () => workbookBytes(tables(workbook), workbook, deps.now()),
      })),
      ...report(`${base}/report${q}`, () => reports.crossCaseReport(study, { anonymised: true, anonymisation: a, model: modelOf() }), true),
      ...a.cases
        .filter((c) => reported.has(c.key))
        .flatMap((c) => report(anonymisedCaseReportHref(studyId, c.pseudonymKey), () => reports.caseReport(study, c.key, { anonymised: true, anonymisation: a, model: modelOf() }), false)),
    ];
  }

  /** Every finding in the outputs, up to MAX_LEAKS. */
  async function run(studyId: number, userId: number): Promise<{ leaks: Leak[]; more: boolean }> {
    const a = anonymisationOf.context(studyId, true);
    const leaks: Leak[] = [];
    for (const output of outputs(studyId, userId, a)) {
      // Other requests go first: a large study takes seconds in all.
      await new Promise((resolve) => setImmediate(resolve));
      const file = await output.write();
      // The address too: a download is named by it (a case report by its pseudonymous key).
      for (const { location, text } of [{ location: 'address', text: output.href }, ...OUTPUT_FORMATS[output.format](file)]) {
        for (const s of findSuspects(text, a.replacements)) {
          leaks.push({ output: output.href, format: output.format, location, ...s });
          if (leaks.length > MAX_LEAKS) return { leaks: leaks.slice(0, MAX_LEAKS), more: true };
        }
      }
    }
    return { leaks, more: false };
  }

  const dataVersion = dataVersionReader(deps.db);
  /** Results by study and user, with the data version they were computed at; least recently used first. */
  const kept = new Map<string, { version: string; at: string; result: Promise<{ leaks: Leak[]; more: boolean }>; settled?: { leaks: Leak[]; more: boolean } }>();

  return {
    /** The anonymised outputs of a study (with provisional pseudonyms where a case has none yet). */
    outputs: (studyId: number, userId: number) => outputs(studyId, userId, anonymisationOf.context(studyId, true)),

    /**
     * Where a real name, alias or key is still to be found in the anonymised outputs, as `userId` (a
     * lead) downloads them; while a case has only a provisional pseudonym, with that one. Each finding
     * with its output, location and context; at most MAX_LEAKS (`more`: there are others). The same
     * result while the data has not changed: it is kept with the data version read before it began.
     */
    /**
     * The last finished check (since the server started), with when it ran and whether the data is
     * still as it was then (any write anywhere counts as a change); undefined when none has finished.
     */
    latest(studyId: number, userId: number): LatestCheck | undefined {
      const known = kept.get(`${studyId}:${userId}`);
      return known?.settled && { ...known.settled, at: known.at, current: known.version === dataVersion() };
    },

    check(studyId: number, userId: number): Promise<{ leaks: Leak[]; more: boolean }> {
      const key = `${studyId}:${userId}`;
      const version = dataVersion();
      const known = kept.get(key);
      kept.delete(key);
      if (known && known.version === version) {
        kept.set(key, known);
        return known.result;
      }
      const result = run(studyId, userId);
      const entry: { version: string; at: string; result: typeof result; settled?: Awaited<typeof result> } = { version, at: deps.now().toISOString(), result };
      kept.set(key, entry);
      void result.then((settled) => (entry.settled = settled), () => undefined);
      if (kept.size > KEPT_RESULTS) kept.delete(kept.keys().next().value!);
      // A failed check is not kept.
      result.catch(() => {
        if (kept.get(key)?.result === result) kept.delete(key);
      });
      return result;
    },
  };
}
export type LeakCheckService = ReturnType<typeof leakCheckService>;
