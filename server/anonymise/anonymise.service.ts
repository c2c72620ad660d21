// Anonymisation of a study (PRODUCT.md step 10, issue 6 item 7): the pseudonyms ("<word> 1 … n" in
// random order, regenerable, the word editable), the aliases per case, and the Anonymisation every
// anonymised export is made with (anonymise.context.ts). The leak check over the anonymised outputs is
// anonymise.leaks.ts. Generated pseudonyms skip numbers a name rules out ("Gemeente 3" when a case is
// called that): a pseudonym never gives a case away (anonymise.rules.ts pseudonymClashes).
import type { Db } from '../lib/db.ts';
import { FormRefusal, HttpError, notFound } from '../lib/errors.ts';
import type { Repos } from '../repos.ts';
import { pseudonymWord } from '../analysis/analysis.rules.ts';
import { casesService } from '../cases/cases.service.ts';
import type { AgreementReport } from '../agreement/agreement.service.ts';
import { anonymiseRepo } from './anonymise.repo.ts';
import { studyAnonymisation, type StudyCase } from './anonymise.context.ts';
import { foldName } from './anonymise.matcher.ts';
import {
  clashMessage,
  cryptoRandom,
  fillPseudonyms,
  newPseudonymClashes,
  numberedPseudonyms,
  pseudonymAllowed,
  pseudonymNumber,
  sameAssignment,
  wordProblem,
  type Anonymisation,
  type CaseIdentity,
  type RandomInt,
} from './anonymise.rules.ts';
import { anonymiseCsv, anonymiseJson, anonymiseTable } from './anonymise.tables.ts';
import type { Table } from '../exports/exports.tables.ts';

export type { StudyCase } from './anonymise.context.ts';

/** How many times regenerate draws again when it drew the assignment the cases already have. */
const REDRAWS = 20;

export function anonymiseService(deps: { db: Db; repos: Repos; now: () => Date; random?: RandomInt }) {
  const { db, repos } = deps;
  const random = deps.random ?? cryptoRandom;
  const own = anonymiseRepo(db);
  const cases = casesService({ db, repos, now: deps.now });
  const { state, casesFor, context } = studyAnonymisation({ db, repos });
  const at = () => deps.now().toISOString();

  /** The test a generated pseudonym of `word` must pass; 409 when the word itself gives a case away (every number would). */
  function allowedFor(word: string, identities: readonly CaseIdentity[]) {
    const problem = wordProblem(word, identities);
    if (problem) throw new HttpError(409, problem.key, problem.params);
    return pseudonymAllowed(identities);
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
      // Pseudonyms that are one name as anonymisation compares names ("Gemeente 3", "gemeente-3").
      const counts = new Map<string, number>();
      for (const c of list) counts.set(foldName(c.pseudonym), (counts.get(foldName(c.pseudonym)) ?? 0) + 1);
      return {
        storedWord: study.pseudonym_word,
        word,
        defaultWord: pseudonymWord('', study.language),
        cases: list,
        provisional: list.filter((c) => c.provisional).length,
        duplicates: [...new Set(list.filter((c) => counts.get(foldName(c.pseudonym))! > 1).map((c) => c.pseudonym))],
      };
    },

    /**
     * Sets the word ('' = the default of the study's language). Pseudonyms made of the old word keep
     * their number and take the new word; pseudonyms written by hand stay as they are. Refused
     * (FormRefusal on `word`) when the word, or a pseudonym it makes, holds a case's name, alias or key.
     */
    setWord(studyId: number, actorId: number, stored: string): number {
      return db.transaction(() => {
        const { study, word: oldWord, rows, identities } = state(studyId);
        const newWord = pseudonymWord(stored, study.language);
        const renamedTo = rows.map((r) => {
          const n = r.pseudonym === null ? null : pseudonymNumber(r.pseudonym, oldWord);
          return n === null ? r.pseudonym : `${newWord} ${n}`;
        });
        const problem = wordProblem(newWord, identities);
        if (problem) throw new FormRefusal({ word: problem });
        const [clash] = newPseudonymClashes(identities, identities.map((c, i) => ({ ...c, pseudonym: renamedTo[i]! })));
        if (clash) throw new FormRefusal({ word: clashMessage(clash, 'pseudonym') });
        const now = at();
        own.setWord(studyId, stored, now);
        const renamed: Record<string, { before: string; after: string }> = {};
        rows.forEach((r, i) => {
          if (renamedTo[i] === r.pseudonym) return;
          repos.cases.setPseudonym(r.id, renamedTo[i]!, now);
          renamed[r.key] = { before: r.pseudonym!, after: renamedTo[i]! };
        });
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
        const { word, rows, identities } = state(studyId);
        const allowed = allowedFor(word, identities);
        const before = rows.map((r) => r.pseudonym);
        let next = numberedPseudonyms(rows.length, word, random, allowed);
        for (let i = 0; rows.length > 1 && sameAssignment(before, next) && i < REDRAWS; i++) next = numberedPseudonyms(rows.length, word, random, allowed);
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
        const { word, rows, identities } = state(studyId);
        const next = fillPseudonyms(rows.map((r) => r.pseudonym), word, random, allowedFor(word, identities));
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
     * raised, and refused (FormRefusal, nothing saved) past the study's alias caps (on `_form`) or for
     * an alias that is part of a pseudonym (on the row's `aliases_<i>`).
     */
    saveAliases(studyId: number, actorId: number, changes: readonly { key: string; aliases: readonly string[] }[]): number {
      if (!repos.studies.findById(studyId)) throw notFound();
      return cases.saveAliases(studyId, actorId, changes);
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
