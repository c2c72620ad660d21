// "The cross-case page's rows": the final scores it shows, one per case × rated condition (the
// reconciled score, or the raters' common score when they agree), read with one prepared statement.
// The benchmark compares the page's cost with the cost of this read.
import { openDb } from '../server/lib/db.ts';

export const FINAL_SCORE_ROWS_SQL = `
  SELECT c.key AS case_key, k.code,
         coalesce(f.score, CASE WHEN count(r.score) = count(*) AND min(r.score) = max(r.score) THEN min(r.score) END) AS score
  FROM cases c
  JOIN ratings r ON r.case_id = c.id AND r.submitted_at IS NOT NULL
  JOIN conditions k ON k.id = r.condition_id
  LEFT JOIN reconciliations f ON f.case_id = r.case_id AND f.condition_id = r.condition_id
  WHERE c.study_id = ?
  GROUP BY r.case_id, r.condition_id
  ORDER BY c.position, k.position`;

export function timeRowRead(dbFile: string, studyId: number): { rows: number; ms: number } {
  const db = openDb(dbFile, { readonly: true });
  try {
    const statement = db.prepare<[number], { case_key: string; code: string; score: number | null }>(FINAL_SCORE_ROWS_SQL);
    let rows = 0;
    for (let i = 0; i < 5; i++) rows = statement.all(studyId).length;
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      statement.all(studyId);
      times.push(performance.now() - t);
    }
    return { rows, ms: round(median(times), 3) };
  } finally {
    db.close();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}
const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
