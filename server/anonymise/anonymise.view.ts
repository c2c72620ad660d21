// Plain data for the anonymisation page: the word, the cases with pseudonyms and aliases, the leak check.
import type { Translate } from '../lib/i18n.ts';
import { caseHref } from '../cases/cases.view.ts';
import { anonymisedCaseReportHref } from '../reports/reports.view.ts';
import type { AnonymiseService } from './anonymise.service.ts';
import type { LatestCheck } from './anonymise.leaks.ts';

export const anonymisationHref = (studyId: number) => `/studies/${studyId}/anonymisation`;

/** An output's address as the leak check names it: "exports/ratings.xlsx", "anonymised/cases/gemeente-3/report". */
const outputName = (studyId: number, href: string) => href.replace(`/studies/${studyId}/`, '').replace(/\?anonymised=1$/, '');

export function anonymisationView(
  studyId: number,
  page: ReturnType<AnonymiseService['page']>,
  /** The last finished leak check; null when none has run. */
  check: LatestCheck | null,
  t: Translate,
  /** A refused form's values, put back. */
  values: Record<string, string> = {},
) {
  const base = anonymisationHref(studyId);
  return {
    base,
    wordValue: values.word ?? page.storedWord,
    word: page.word,
    defaultWord: page.defaultWord,
    provisional: page.provisional,
    duplicates: page.duplicates,
    cases: page.cases.map((c, i) => ({
      index: i,
      key: c.key,
      name: c.name,
      href: caseHref(studyId, c.key),
      pseudonym: c.pseudonym,
      pseudonymKey: c.pseudonymKey,
      /** The anonymised case report, addressed by the pseudonymous key (refused, saying why, while pseudonyms are provisional). */
      reportHref: anonymisedCaseReportHref(studyId, c.pseudonymKey),
      provisional: c.provisional,
      aliases: values[`key_${i}`] === c.key ? (values[`aliases_${i}`] ?? '') : c.aliases.join('\n'),
    })),
    checked: check !== null,
    checkedAt: check ? check.at.replace('T', ' ').slice(0, 16) : '',
    checkCurrent: check?.current ?? false,
    caseCount: page.cases.length,
    leaks: (check?.leaks ?? []).map((l) => ({
      /** The download it was found in, named by its address under the study. */
      href: l.output,
      output: outputName(studyId, l.output),
      format: t(`anonymise.format.${l.format}`),
      location: l.location,
      text: l.text,
      name: l.name,
      kind: t(l.kind === 'word' ? 'anonymise.kind.word' : 'anonymise.kind.part'),
      context: l.context,
    })),
    moreLeaks: check?.more ?? false,
    exportsHref: `/studies/${studyId}/exports?anonymised=1`,
  };
}
