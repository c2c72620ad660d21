// Query plans of reads `npm run bench` found growing with the database (migration 0010 and the
// evidence repository's indexed variants): each is checked with EXPLAIN QUERY PLAN on the statement
// the repository really runs. A fresh database has no statistics, as in production, so the plans
// here are the plans users get.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../server/lib/db.ts';
import { createRepos, type Repos } from '../../server/repos.ts';
import { freshDb, type StatementCounter } from '../helpers/app.ts';

describe('read plans (no statement reads a whole table for one case or one study)', () => {
  let db: Db;
  let counter: StatementCounter;
  let repos: Repos;

  beforeEach(() => {
    ({ db, counter } = freshDb());
    repos = createRepos(db);
  });
  afterEach(() => db.close());

  /** The plan of every statement `run` executes. */
  function plansOf(run: () => unknown): string[] {
    counter.reset();
    run();
    expect(counter.statements.length).toBeGreaterThan(0);
    return counter.statements.map((sql) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join('\n'));
  }

  it('the blinding rule asks "any rating? any draft?" per case and rater through ratings_case_rater, never every rating of a rater', () => {
    for (const plan of [
      ...plansOf(() => repos.reconcile.waitingCount(1)),
      ...plansOf(() => repos.reconcile.readyCases(1)),
      ...plansOf(() => repos.reconcile.items(1)),
      ...plansOf(() => repos.agreement.submittedScores(1)),
    ]) {
      expect(plan).not.toMatch(/ratings_rater/);
      expect(plan).toMatch(/SEARCH x USING COVERING INDEX ratings_case_rater \(case_id=\? AND rater_id=\? AND submitted_at=\?\)/);
    }
  });

  it('the evidence of one case, one interview or one document is found through an index', () => {
    for (const filter of [{ caseKey: 'a' }, { caseKey: 'a', code: '1.a' }, { source: 'interview:i1' }, { source: 'document:d1' }]) {
      const [plan] = plansOf(() => repos.evidence.list(1, filter));
      expect(plan).not.toMatch(/SCAN e\b/);
      expect(plan).toMatch(/SEARCH e USING INDEX evidence_(case|interview|document)/);
    }
  });

  it('the study overview reads its evidence count from study_counts and the guides page counts uses per role without scanning a table', () => {
    const [counts] = plansOf(() => repos.studies.counts(1));
    expect(counts).not.toMatch(/SCAN|evidence/);
    expect(counts).toMatch(/SEARCH n USING INTEGER PRIMARY KEY/);
    const [usage] = plansOf(() => repos.guides.roleUsage(1));
    expect(usage).not.toMatch(/SCAN (qr|ir)\b/);
  });
});
