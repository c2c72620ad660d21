// Anonymisation of a study (PRODUCT.md step 10, issue 6 item 7): the pseudonyms ("<word> 1 … n" in
// random order, regenerable, the word editable), the aliases per case, the Anonymisation every
// anonymised export is made with, and the leak check over the anonymised outputs.
//
// A case without a stored pseudonym (made on the case form with the field left empty, or before
// pseudonyms were generated) gets a provisional one when an output is written: the lowest free
// number, in case order. Nothing is written on a read; the page shows them as provisional and a
// lead stores random ones with "assign missing" (or regenerates all).
import type { Db } from '../lib/db.ts';
import { HttpError, notFound } from '../lib/errors.ts';
import type { Repos } from '../repos.ts';
import { pseudonymWord } from '../analysis/analysis.rules.ts';
import { analysisService } from '../analysis/analysis.service.ts';
import { casesService, parseAliases } from '../cases/cases.service.ts';
import { analysisTables } from '../exports/exports.tables.ts';
import { studyFileExporter } from '../studyfile/studyfile.export.ts';
import type { AgreementReport } from '../agreement/agreement.service.ts';
import { anonymiseRepo } from './anonymise.repo.ts';
import {
  anonymisation,
  cryptoRandom,
  fillPseudonyms,
  findSuspects,
  numberedPseudonyms,
  pseudonymNumber,
  pseudonymousKeys,
  sameAssignment,
  textsOf,
  type Anonymisation,
  type AnonymisedCase,
  type RandomInt,
  type Suspect,
} from './anonymise.rules.ts';
import { anonymiseCsv, anonymiseJson, anonymiseTable } from './anonymise.tables.ts';
import type { Table } from '../exports/exports.tables.ts';

export interface StudyCase extends AnonymisedCase {
  id: number;
  /** Not stored yet: the lowest free number, until a lead assigns or regenerates. */
  provisional: boolean;
}

/** One finding of the leak check: in which output, where, and what. */
export interface Leak extends Suspect {
  output: 'study' | 'analysis';
  location: string;
}

/** At most this many findings are listed: enough to see what to add as aliases. */
export const MAX_LEAKS = 500;

/** How many times regenerate draws again when it drew the assignment the cases already have. */
const REDRAWS = 20;

/** Provisional pseudonyms must not change between two reads: no randomness there. */
const inOrder: RandomInt = (maxExclusive) => maxExclusive - 1;

export function anonymiseService(deps: { db: Db; repos: Repos; now: () => Date; random?: RandomInt }) {
  const { db, repos } = deps;
  const random = deps.random ?? cryptoRandom;
  const own = anonymiseRepo(db);
  const cases = casesService({ db, repos, now: deps.now });
  const analysis = analysisService({ db, repos, now: deps.now });
  const exporter = studyFileExporter(repos);
  const at = () => deps.now().toISOString();

  function studyOf(studyId: number) {
    const study = repos.studies.findById(studyId);
    if (!study) throw notFound();
    return study;
  }

  /** The study, its word and its cases with their pseudonyms (stored or provisional), in case order. */
  function state(studyId: number) {
    const study = studyOf(studyId);
    const word = pseudonymWord(study.pseudonym_word, study.language);
    const rows = repos.cases.list(studyId);
    const pseudonyms = fillPseudonyms(rows.map((r) => r.pseudonym), word, inOrder);
    const keys = pseudonymousKeys(pseudonyms);
    const list: StudyCase[] = rows.map((r, i) => ({
      id: r.id,
      key: r.key,
      name: r.name,
      aliases: parseAliases(r.aliases),
      pseudonym: pseudonyms[i]!,
      pseudonymKey: keys[i]!,
      provisional: r.pseudonym === null,
    }));
    return { study, word, rows, cases: list };
  }

  /**
   * The cases with the pseudonyms anonymised outputs use. Refused (409) while a case has only a
   * provisional pseudonym: those follow the case order, which would give the real names away. The
   * leak check, which shows the lead what anonymisation would do, may look anyway.
   */
  function casesFor(studyId: number, allowProvisional: boolean): StudyCase[] {
    const { cases: list } = state(studyId);
    const missing = list.filter((c) => c.provisional).length;
    if (missing > 0 && !allowProvisional) throw new HttpError(409, 'reports.needPseudonyms', { count: missing });
    return list;
  }

  /** The Anonymisation of a study (the mapping anonymised outputs use): one per export, so every part of it uses the same mapping. */
  function context(studyId: number, allowProvisional = false): Anonymisation {
    const list = casesFor(studyId, allowProvisional);
    // Members by account id: an address keeps its member-N number when roles or names change.
    const emails = repos.studies.members(studyId).sort((x, y) => x.user_id - y.user_id).map((m) => m.email);
    return anonymisation(list, emails);
  }

  return {
    context,

    /**
     * The case a pseudonymous key stands for: anonymised case reports are addressed by it, so that
     * the real key is in no address, history or printed footer of one. 409 while a case has no stored
     * pseudonym (as every anonymised output), 404 for a key no case has.
     */
    caseOfPseudonymKey(studyId: number, pseudonymKey: string): StudyCase {
      const found = casesFor(studyId, false).find((c) => c.pseudonymKey === pseudonymKey);
      if (!found) throw notFound();
      return found;
    },

    /**
     * The pseudonymous key of a case (the one the anonymised study file and exports use), or null for
     * an unknown case. With `allowProvisional` (a link on a page with real names) a case without a
     * stored pseudonym has its provisional key; the page it leads to then says what to do.
     */
    pseudonymKeyOf(studyId: number, caseKey: string, allowProvisional = false): string | null {
      return casesFor(studyId, allowProvisional).find((c) => c.key === caseKey)?.pseudonymKey ?? null;
    },

    /** What the anonymisation page shows. */
    page(studyId: number) {
      const { study, word, cases: list } = state(studyId);
      const counts = new Map<string, number>();
      for (const c of list) counts.set(c.pseudonym.toLocaleLowerCase(), (counts.get(c.pseudonym.toLocaleLowerCase()) ?? 0) + 1);
      return {
        storedWord: study.pseudonym_word,
        word,
        defaultWord: pseudonymWord('', study.language),
        cases: list,
        provisional: list.filter((c) => c.provisional).length,
        duplicates: [...new Set(list.filter((c) => counts.get(c.pseudonym.toLocaleLowerCase())! > 1).map((c) => c.pseudonym))],
      };
    },

    /**
     * Sets the word ('' = the default of the study's language). Pseudonyms made of the old word keep
     * their number and take the new word; pseudonyms written by hand stay as they are.
     */
    setWord(studyId: number, actorId: number, stored: string): number {
      return db.transaction(() => {
        const { study, word: oldWord, rows } = state(studyId);
        const newWord = pseudonymWord(stored, study.language);
        const now = at();
        own.setWord(studyId, stored, now);
        const renamed: Record<string, { before: string; after: string }> = {};
        for (const r of rows) {
          const n = r.pseudonym === null ? null : pseudonymNumber(r.pseudonym, oldWord);
          if (n === null || `${newWord} ${n}` === r.pseudonym) continue;
          repos.cases.setPseudonym(r.id, `${newWord} ${n}`, now);
          renamed[r.key] = { before: r.pseudonym!, after: `${newWord} ${n}` };
        }
        repos.audit.record({
          at: now, actorId, studyId, entity: 'study', entityId: studyId, action: 'pseudonym-word',
          before: { word: study.pseudonym_word }, after: { word: stored, renamed },
        });
        return Object.keys(renamed).length;
      })();
    },

    /**
     * Gives every case a new pseudonym: "<word> 1 … n" in a random order. With two cases or more the
     * new assignment differs from the one the cases have (a lead who regenerates wants a change).
     */
    regenerate(studyId: number, actorId: number): void {
      db.transaction(() => {
        const { word, rows } = state(studyId);
        const before = rows.map((r) => r.pseudonym);
        let next = numberedPseudonyms(rows.length, word, random);
        for (let i = 0; rows.length > 1 && sameAssignment(before, next) && i < REDRAWS; i++) next = numberedPseudonyms(rows.length, word, random);
        const now = at();
        rows.forEach((r, i) => {
          if (r.pseudonym !== next[i]) repos.cases.setPseudonym(r.id, next[i]!, now);
        });
        repos.audit.record({
          at: now, actorId, studyId, entity: 'study', entityId: studyId, action: 'pseudonyms-regenerate',
          before: { pseudonyms: Object.fromEntries(rows.map((r) => [r.key, r.pseudonym])) },
          after: { pseudonyms: Object.fromEntries(rows.map((r, i) => [r.key, next[i]!])) },
        });
      })();
    },

    /** Stores pseudonyms for the cases that have none: the lowest free numbers, in a random order. */
    assignMissing(studyId: number, actorId: number): number {
      return db.transaction(() => {
        const { word, rows } = state(studyId);
        const next = fillPseudonyms(rows.map((r) => r.pseudonym), word, random);
        const now = at();
        const assigned: Record<string, string> = {};
        rows.forEach((r, i) => {
          if (r.pseudonym !== null) return;
          repos.cases.setPseudonym(r.id, next[i]!, now);
          assigned[r.key] = next[i]!;
        });
        if (Object.keys(assigned).length) {
          repos.audit.record({ at: now, actorId, studyId, entity: 'study', entityId: studyId, action: 'pseudonyms-assign', after: { pseudonyms: assigned } });
        }
        return Object.keys(assigned).length;
      })();
    },

    /**
     * Aliases of several cases (the page's table), through the cases service: audited, versions
     * raised, and refused (FormRefusal on `_form`, nothing saved) past the study's alias caps.
     */
    saveAliases(studyId: number, actorId: number, changes: readonly { key: string; aliases: readonly string[] }[]): number {
      studyOf(studyId);
      return cases.saveAliases(studyId, actorId, changes);
    },

    /**
     * Where a real name or alias is still to be found in the anonymised outputs: the anonymised study
     * file (as a lead downloads it: drafts and blind ratings left out) and the anonymised analysis
     * workbook. Each finding with its output, location and context; at most MAX_LEAKS.
     */
    leakCheck(studyId: number): { leaks: Leak[]; more: boolean } {
      const a = context(studyId, true);
      const leaks: Leak[] = [];
      const scan = (output: Leak['output'], location: string, text: string) => {
        for (const s of findSuspects(text, a.replacements)) leaks.push({ output, location, ...s });
      };
      for (const t of textsOf(exporter.run(studyId, 'unblinded', a))) scan('study', t.path, t.text);
      for (const table of analysisTables(analysis.model(studyId)).map((t) => anonymiseTable(t, a))) {
        table.header.forEach((h) => scan('analysis', `${table.sheet}: header`, h));
        table.rows.forEach((row, i) =>
          row.forEach((cell, j) => {
            if (typeof cell === 'string') scan('analysis', `${table.sheet}: row ${i + 2}, ${table.header[j]}`, cell);
          }),
        );
      }
      return { leaks: leaks.slice(0, MAX_LEAKS), more: leaks.length > MAX_LEAKS };
    },

    /** A CSV that Kader wrote, anonymised (the `?anonymised=1` of ratings.csv, final-scores.csv, agreement.csv). */
    csv(studyId: number, csv: string, options?: Parameters<typeof anonymiseCsv>[2]): string {
      return anonymiseCsv(csv, context(studyId), options);
    },

    /** Tables of a download, anonymised with one mapping. */
    tables(studyId: number, tables: readonly Table[]): Table[] {
      const a = context(studyId);
      return tables.map((t) => anonymiseTable(t, a));
    },

    /** The agreement JSON anonymised: case keys in `byCase` pseudonymous, in pseudonym order; addresses with names replaced. */
    agreement(studyId: number, report: AgreementReport): AgreementReport {
      return anonymiseJson(report, context(studyId));
    },
  };
}
export type AnonymiseService = ReturnType<typeof anonymiseService>;
