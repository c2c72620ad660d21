// SQL of anonymisation that belongs to no other feature: the study's pseudonym word. Pseudonyms and
// aliases are columns of cases and are written through the cases repository.
import type { Db } from '../lib/db.ts';

export function anonymiseRepo(db: Db) {
  const setWord = db.prepare<[string, string, number]>('UPDATE studies SET pseudonym_word = ?, updated_at = ? WHERE id = ?');
  return {
    /** '' = the default word for the study's language. */
    setWord: (studyId: number, word: string, now: string) => setWord.run(word, now, studyId),
  };
}
export type AnonymiseRepo = ReturnType<typeof anonymiseRepo>;
