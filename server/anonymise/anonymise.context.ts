// The anonymisation of one study, as every anonymised output uses it (the study file, the CSV, XLSX
// and JSON downloads, the HTML and Word reports): its cases with their pseudonyms and pseudonymous
// keys, its sources' keys and its members' addresses. One place builds it, so that every output of a
// study maps names and keys alike; the anonymisation service and the reports take it from here.
//
// A case without a stored pseudonym (made on the case form with the field left empty, or before
// pseudonyms were generated) gets a provisional one when an output is written: the lowest free
// number no name rules out, in case order. Nothing is written on a read; the page shows them as
// provisional and a lead stores random ones with "assign missing" (or regenerates all).
import type { Db } from '../lib/db.ts';
import { HttpError, notFound } from '../lib/errors.ts';
import type { Repos } from '../repos.ts';
import { pseudonymWord } from '../analysis/analysis.rules.ts';
import { identityOf } from '../cases/cases.service.ts';
import { anonymiseRepo } from './anonymise.repo.ts';
import {
  anonymisation,
  fillPseudonyms,
  pseudonymAllowed,
  pseudonymousKeys,
  wordProblem,
  type Anonymisation,
  type AnonymisedCase,
  type RandomInt,
} from './anonymise.rules.ts';

export interface StudyCase extends AnonymisedCase {
  id: number;
  /** Not stored yet: the lowest free number, until a lead assigns or regenerates. */
  provisional: boolean;
}

/** Provisional pseudonyms must not change between two reads: no randomness there. */
const inOrder: RandomInt = (maxExclusive) => maxExclusive - 1;

export function studyAnonymisation(deps: { db: Db; repos: Repos }) {
  const { repos } = deps;
  const own = anonymiseRepo(deps.db);

  /** The study, its word and its cases with their pseudonyms (stored or provisional), in case order. */
  function state(studyId: number) {
    const study = repos.studies.findById(studyId);
    if (!study) throw notFound();
    const word = pseudonymWord(study.pseudonym_word, study.language);
    const rows = repos.cases.list(studyId);
    const identities = rows.map(identityOf);
    // A word that is itself a name rules out every number: the provisional ones then ignore the rule
    // (the leak check shows them), rather than none being found.
    const allowed = wordProblem(word, identities) ? undefined : pseudonymAllowed(identities);
    const pseudonyms = fillPseudonyms(rows.map((r) => r.pseudonym), word, inOrder, allowed);
    const keys = pseudonymousKeys(pseudonyms);
    const cases: StudyCase[] = rows.map((r, i) => ({
      id: r.id,
      key: r.key,
      name: r.name,
      aliases: identities[i]!.aliases,
      pseudonym: pseudonyms[i]!,
      pseudonymKey: keys[i]!,
      provisional: r.pseudonym === null,
    }));
    return { study, word, rows, identities, cases };
  }

  /**
   * The cases with the pseudonyms anonymised outputs use. Refused (409) while a case has only a
   * provisional pseudonym: those follow the case order, which would give the real names away. The
   * leak check, which shows the lead what anonymisation would do, may look anyway.
   */
  function casesFor(studyId: number, allowProvisional: boolean): StudyCase[] {
    const { cases } = state(studyId);
    const missing = cases.filter((c) => c.provisional).length;
    if (missing > 0 && !allowProvisional) throw new HttpError(409, 'reports.needPseudonyms', { count: missing });
    return cases;
  }

  /** The Anonymisation of a study: one per output, so that every part of it uses the same mapping. */
  function context(studyId: number, allowProvisional = false): Anonymisation {
    const cases = casesFor(studyId, allowProvisional);
    // Members by account id: an address keeps its member-N number when roles or names change.
    const emails = repos.studies.members(studyId).sort((x, y) => x.user_id - y.user_id).map((m) => m.email);
    return anonymisation(cases, emails, own.sources(studyId));
  }

  return { state, casesFor, context };
}
export type StudyAnonymisation = ReturnType<typeof studyAnonymisation>;
