// SQL for evidence and for coverage: which sources of a case bear on which condition.
import type { Db } from '../lib/db.ts';
import type { Span } from '../lib/spans.ts';
import { NOT_BLIND } from '../ratings/ratings.repo.ts';

export interface EvidenceRow {
  id: number;
  case_key: string;
  case_name: string;
  source_kind: 'interview' | 'document';
  source_key: string;
  source_title: string;
  quote: string;
  locator: string;
  /** The passage's span in its source's text (code points, end exclusive), or null for a locator or paraphrase. */
  span_start: number | null;
  span_end: number | null;
  note: string;
  /** 1 when an edit of the source's text left the passage where it could not be placed again. */
  needs_review: 0 | 1;
  created_by_name: string | null;
  created_at: string;
  conditions: string; // JSON [code]
}

/** One (condition, source) pair of a case: an interview that touched or is quoted on the condition, or a quoted document. */
export interface CoverageRow {
  case_id: number;
  code: string;
  source: string; // 'interview:KEY' | 'document:KEY'
}

const SELECT = `SELECT e.id, c.key AS case_key, c.name AS case_name,
       CASE WHEN e.interview_id IS NOT NULL THEN 'interview' ELSE 'document' END AS source_kind,
       coalesce(i.key, d.key) AS source_key, coalesce(i.date, i.key, d.title) AS source_title,
       e.quote, e.locator, e.span_start, e.span_end, e.note, e.needs_review, u.name AS created_by_name, e.created_at,
       (SELECT json_group_array(code) FROM (SELECT k.code FROM evidence_conditions ec JOIN conditions k ON k.id = ec.condition_id
          WHERE ec.evidence_id = e.id ORDER BY k.position)) AS conditions
     FROM evidence e JOIN cases c ON c.id = e.case_id LEFT JOIN interviews i ON i.id = e.interview_id
     LEFT JOIN documents d ON d.id = e.document_id LEFT JOIN users u ON u.id = e.created_by`;

export function evidenceRepo(db: Db) {
  type ListParams = { studyId: number; caseKey: string | null; code: string | null; source: string | null };
  const FILTERS = `AND (@caseKey IS NULL OR c.key = @caseKey)
       AND (@code IS NULL OR EXISTS (SELECT 1 FROM evidence_conditions ec JOIN conditions k ON k.id = ec.condition_id
                                     WHERE ec.evidence_id = e.id AND k.code = @code))
       AND (@source IS NULL OR (CASE WHEN e.interview_id IS NOT NULL THEN 'interview:' || i.key ELSE 'document:' || d.key END) = @source)
     ORDER BY c.position, e.id`;
  const list = db.prepare<ListParams, EvidenceRow>(`${SELECT} WHERE e.study_id = @studyId ${FILTERS}`);
  // The same filters, entered through an index: SQLite cannot use one for "(@x IS NULL OR col = @x)",
  // so without these a case page or an interview page read every piece of evidence of the study.
  // `+e.study_id` keeps the check but stops SQLite from choosing evidence_study over the narrower index.
  const listOfCase = db.prepare<ListParams, EvidenceRow>(
    `${SELECT} WHERE c.study_id = @studyId AND c.key = @caseKey AND e.case_id = c.id AND +e.study_id = @studyId ${FILTERS}`,
  );
  const listOfInterview = db.prepare<ListParams & { sourceKey: string }, EvidenceRow>(
    `${SELECT} WHERE e.interview_id = (SELECT id FROM interviews WHERE study_id = @studyId AND key = @sourceKey) AND +e.study_id = @studyId ${FILTERS}`,
  );
  const listOfDocument = db.prepare<ListParams & { sourceKey: string }, EvidenceRow>(
    `${SELECT} WHERE e.document_id = (SELECT id FROM documents WHERE study_id = @studyId AND key = @sourceKey) AND +e.study_id = @studyId ${FILTERS}`,
  );
  const byId = db.prepare<[number, number], { id: number; case_id: number; interview_id: number | null; document_id: number | null; quote: string; locator: string }>(
    'SELECT id, case_id, interview_id, document_id, quote, locator FROM evidence WHERE id = ? AND study_id = ?',
  );
  const insert = db.prepare(
    `INSERT INTO evidence (study_id, case_id, interview_id, document_id, quote, locator, span_start, span_end, note, created_by, created_at)
     VALUES (@studyId, @caseId, @interviewId, @documentId, @quote, @locator, @spanStart, @spanEnd, @note, @createdBy, @now)`,
  );
  const link = db.prepare<[number, number]>('INSERT INTO evidence_conditions (evidence_id, condition_id) VALUES (?, ?)');
  const remove = db.prepare<[number]>('DELETE FROM evidence WHERE id = ?');
  // The submitted ratings that cite a piece of evidence; who cited it is a rater's evidence choice,
  // so it is named only where the case's ratings may be read (NOT_BLIND).
  const citations = db.prepare<[number], { rater: string; code: string; open: 0 | 1 }>(
    `SELECT u.name AS rater, k.code, ${NOT_BLIND} AS open
     FROM rating_evidence re JOIN ratings r ON r.id = re.rating_id JOIN cases c ON c.id = r.case_id
       JOIN conditions k ON k.id = r.condition_id JOIN users u ON u.id = r.rater_id
     WHERE re.evidence_id = ? AND r.submitted_at IS NOT NULL ORDER BY k.position, u.name`,
  );
  const coverage = db.prepare<{ studyId: number; caseId: number | null }, CoverageRow>(
    `SELECT i.case_id, k.code, 'interview:' || i.key AS source
       FROM interview_conditions ic JOIN interviews i ON i.id = ic.interview_id JOIN conditions k ON k.id = ic.condition_id
       WHERE i.study_id = @studyId AND (@caseId IS NULL OR i.case_id = @caseId)
     UNION
     SELECT e.case_id, k.code, CASE WHEN e.interview_id IS NOT NULL THEN 'interview:' || i.key ELSE 'document:' || d.key END
       FROM evidence e JOIN evidence_conditions ec ON ec.evidence_id = e.id JOIN conditions k ON k.id = ec.condition_id
       LEFT JOIN interviews i ON i.id = e.interview_id LEFT JOIN documents d ON d.id = e.document_id
       WHERE e.study_id = @studyId AND (@caseId IS NULL OR e.case_id = @caseId)`,
  );

  // The evidence list page: filters by case, condition, kind of source and words of the quote or
  // locator (the search index, as /search reads it), one page in case order with the total.
  type PageParams = { studyId: number; caseKey: string | null; code: string | null; kind: string | null; fts: string | null; limit: number; offset: number };
  const pageWhere = (withText: boolean) => `WHERE e.study_id = @studyId AND (@caseKey IS NULL OR c.key = @caseKey)
       AND (@code IS NULL OR EXISTS (SELECT 1 FROM evidence_conditions ec JOIN conditions k ON k.id = ec.condition_id
                                     WHERE ec.evidence_id = e.id AND k.code = @code))
       AND (@kind IS NULL OR (CASE WHEN e.interview_id IS NOT NULL THEN 'interview' ELSE 'document' END) = @kind)
       ${withText ? `AND e.id IN (SELECT ref_id FROM search_index WHERE search_index MATCH @fts AND kind = 'evidence' AND study_id = @studyId)` : ''}`;
  const pageStatements = [false, true].map((withText) => ({
    count: db.prepare<Omit<PageParams, 'limit' | 'offset'>, { n: number }>(
      `SELECT count(*) AS n FROM evidence e JOIN cases c ON c.id = e.case_id ${pageWhere(withText)}`,
    ),
    rows: db.prepare<PageParams, EvidenceRow>(`${SELECT} ${pageWhere(withText)} ORDER BY c.position, e.id LIMIT @limit OFFSET @offset`),
  }));

  return {
    /**
     * One page of the study's evidence list (two statements: the count, then the rows). `fts` is an
     * FTS5 query made by ftsQuery (search.query.ts); `page` is clamped to the last page.
     */
    page(
      studyId: number,
      filter: { caseKey?: string; code?: string; kind?: 'interview' | 'document'; fts?: string },
      page: (total: number) => { limit: number; offset: number },
    ): { total: number; rows: EvidenceRow[] } {
      const statements = pageStatements[filter.fts ? 1 : 0]!;
      const params = { studyId, caseKey: filter.caseKey ?? null, code: filter.code ?? null, kind: filter.kind ?? null, fts: filter.fts ?? null };
      try {
        const total = statements.count.get(params)!.n;
        return { total, rows: total ? statements.rows.all({ ...params, ...page(total) }) : [] };
      } catch (err) {
        // A query the search index cannot read finds nothing (ftsQuery makes this unlikely).
        if (filter.fts && (err as { code?: string }).code === 'SQLITE_ERROR') return { total: 0, rows: [] };
        throw err;
      }
    },
    /** The study's evidence, optionally of one case, about one condition code, or from one source ('interview:KEY' | 'document:KEY'). */
    list(studyId: number, filter: { caseKey?: string; code?: string; source?: string } = {}): EvidenceRow[] {
      const params: ListParams = { studyId, caseKey: filter.caseKey ?? null, code: filter.code ?? null, source: filter.source ?? null };
      const source = params.source === null ? null : /^(interview|document):(.+)$/s.exec(params.source);
      if (source) return (source[1] === 'interview' ? listOfInterview : listOfDocument).all({ ...params, sourceKey: source[2]! });
      if (params.caseKey !== null) return listOfCase.all(params);
      return list.all(params);
    },
    findById: (studyId: number, id: number) => byId.get(id, studyId),
    insert(
      e: { studyId: number; caseId: number; interviewId: number | null; documentId: number | null; quote: string; locator: string; span?: Span | null; note?: string; createdBy: number | null; now: string },
      conditionIds: number[],
    ): number {
      const { span, ...row } = e;
      const id = Number(insert.run({ ...row, note: e.note ?? '', spanStart: span?.start ?? null, spanEnd: span?.end ?? null }).lastInsertRowid);
      for (const c of conditionIds) link.run(id, c);
      return id;
    },
    /** The submitted ratings that cite this evidence (rater, condition, and whether the case is open). */
    citations: (evidenceId: number) => citations.all(evidenceId),
    remove: (id: number) => remove.run(id),
    /** Every (case, condition, source) pair of the study, or of one case. */
    coverage: (studyId: number, caseId: number | null = null) => coverage.all({ studyId, caseId }),
  };
}
export type EvidenceRepo = ReturnType<typeof evidenceRepo>;
