// SQL of anonymisation that belongs to no other feature: the study's pseudonym word, and the keys of
// its interviews and documents (anonymised outputs give them keys made of the pseudonymous case keys).
// Pseudonyms and aliases are columns of cases and are written through the cases repository.
import type { Db } from '../lib/db.ts';
import type { SourceRef } from './anonymise.rules.ts';

export function anonymiseRepo(db: Db) {
  const setWord = db.prepare<[string, string, number]>('UPDATE studies SET pseudonym_word = ?, updated_at = ? WHERE id = ?');
  const sources = db.prepare<{ studyId: number }, SourceRef>(
    `SELECT i.key, c.key AS caseKey, 'interview' AS kind FROM interviews i JOIN cases c ON c.id = i.case_id WHERE i.study_id = @studyId
     UNION ALL
     SELECT d.key, c.key AS caseKey, 'document' AS kind FROM documents d JOIN cases c ON c.id = d.case_id WHERE d.study_id = @studyId`,
  );
  return {
    /** '' = the default word for the study's language. */
    setWord: (studyId: number, word: string, now: string) => setWord.run(word, now, studyId),
    /** Every interview and document of the study with its case's key. */
    sources: (studyId: number) => sources.all({ studyId }),
  };
}
export type AnonymiseRepo = ReturnType<typeof anonymiseRepo>;
