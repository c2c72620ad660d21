// The exports page and its downloads: every table as CSV, every workbook as XLSX, and the study
// file as JSON (leads only, as /export.json), each with the "anonymised" switch (`?anonymised=1`).
// Every member may download the tables: they come from services that apply blinding.
import type { Request, Response } from 'express';
import { roleAtLeast, route, studyRole, type RouteDef } from '../http/authorize.ts';
import { HttpError, notFound } from '../lib/errors.ts';
import type { Services } from '../services.ts';
import { slug } from '../studyfile/studyfile.routes.ts';
import { wantsAnonymised } from '../anonymise/anonymise.routes.ts';
import { isCsvTable, isWorkbook } from './exports.service.ts';
import { exportsView } from './exports.view.ts';
import { isClosedEarly, XLSX_RETRY_AFTER_SECONDS, xlsxBuilds } from './exports.xlsx.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** File names never carry the study's title when anonymised: a title may name a case. */
const fileName = (req: Request, part: string, ext: string) =>
  `study-${req.study!.id}-${part}${wantsAnonymised(req) ? '-anonymised' : ''}.${ext}`;

const download = (res: Response, name: string, type: string) => {
  res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
  res.setHeader('Cache-Control', 'private, no-store');
  res.type(type);
};

export function exportsRoutes(s: Services): RouteDef[] {
  return [
    /** @route GET /studies/:id/exports — every download of the study, with the anonymised switch. */
    route('get', '/studies/:id/exports', studyRole('viewer'), (req, res) => {
      res.render('exports/index', {
        title: req.t('exports.title'),
        ...exportsView(req.study!.id, wantsAnonymised(req), roleAtLeast(req.studyRole, 'lead')),
      });
    }),

    /** @route GET /studies/:id/exports/:table.csv — one table of the classes or the analysis as CSV. */
    route('get', '/studies/:id/exports/:table.csv', studyRole('viewer'), (req, res) => {
      const table = String(req.params.table);
      if (!isCsvTable(table)) throw notFound();
      const csv = s.exports.csv(table, req.study!.id, req.user!.id, wantsAnonymised(req));
      download(res, fileName(req, table, 'csv'), 'text/csv; charset=utf-8');
      res.send(csv);
    }),

    /**
     * @route GET /studies/:id/exports/:workbook.xlsx — ratings, final scores, classes, analysis or agreement: a sheet per table.
     * Streamed, and at most two built at a time (xlsxBuilds): a request that gets no turn is answered 503 with Retry-After.
     */
    route('get', '/studies/:id/exports/:workbook.xlsx', studyRole('viewer'), async (req, res) => {
      const workbook = String(req.params.workbook);
      if (!isWorkbook(workbook)) throw notFound();
      const release = await xlsxBuilds.acquire();
      if (!release) {
        res.setHeader('Retry-After', String(XLSX_RETRY_AFTER_SECONDS));
        throw new HttpError(503, 'exports.busy');
      }
      try {
        const write = s.exports.xlsx(workbook, req.study!.id, req.user!.id, wantsAnonymised(req));
        download(res, fileName(req, workbook, 'xlsx'), XLSX_TYPE);
        await write(res);
      } catch (err) {
        if (!res.headersSent) {
          // Nothing was sent: the error page goes out instead, not as a download.
          res.removeHeader('Content-Disposition');
          res.removeHeader('Content-Type');
          throw err;
        }
        // The file is cut off after a 200: an error page cannot follow, and ending the response would
        // pass a truncated file as whole. Destroying it makes the download fail visibly.
        res.destroy();
        if (!isClosedEarly(err)) throw err; // logged by the error handler; a client that left is no error
      } finally {
        release();
      }
    }),

    /** @route GET /studies/:id/exports/study.json — the study file as a lead downloads it (blind ratings left out); anonymised with the switch. */
    route('get', '/studies/:id/exports/study.json', studyRole('lead'), (req, res) => {
      const study = req.study!;
      const anonymised = wantsAnonymised(req);
      const doc = s.studyFile.exporter.run(study.id, 'unblinded', anonymised ? s.anonymise.context(study.id) : undefined);
      download(res, anonymised ? `kader-${study.id}-anonymised.json` : `kader-${study.id}-${slug(study.title)}.json`, 'application/json');
      res.send(`${JSON.stringify(doc, null, 2)}\n`);
    }),
  ];
}
