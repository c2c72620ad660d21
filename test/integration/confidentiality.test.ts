// Confidentiality on every path (issue 13), on the blinding walk's study: a case is blind until it has
// its `ratersPerCase` raters and all of them submitted (also when one rater came in by a ratings
// import), a lead who rates cannot unblind beside their own drafts, evidence a submitted rating cites
// is locked with it, a lead sees progress and no cannot-judge counts, and viewers read no raw fieldwork
// unless a lead opens it to them.
import { describe, expect, it } from 'vitest';
import { settingsOf } from '../../server/studies/studies.repo.ts';
import { ANN_SECRET, EVIDENCE_QUOTE, leaks, setUp, walk, type Env, type Who } from './blinding.fixture.ts';

const ANN_C3 = 'ANN-C3-IMPORTED-4d2f'; // Ann's imported (submitted) rationales of c3, her only rater at first
const BOB_C3 = 'BOB-C3-FORM-6a9e'; // Bob's rationales of c3, rated through the form once he is assigned
const BOB_C4 = 'BOB-C4-SUBMIT-1f7c'; // Bob's submitted rationales of c4, which the lead rates too
const NOTES = 'the secret of the team is a short line'; // the interview's notes (raw fieldwork)
const PLAN = 'Policy plan: the gate is strict.'; // the document's text (raw fieldwork)
const CODES = ['1.a', '1.b.1', '1.b.2', '2.a', '2.b'];

const upload = (who: Who, url: string, csv: string) =>
  who.agent.post(url).field('_csrf', who.csrf).attach('file', Buffer.from(csv, 'utf8'), { filename: 'ratings.csv', contentType: 'text/csv' });

/** Adds a case without raters. */
function addCase(env: Env, key: string, name: string): void {
  env.services.cases.create(env.studyId, { id: env.leadId, isLead: true }, key, { name, pseudonym: null, group: '', selectionReason: '', attributes: {}, measures: [] });
}

/** The rating form's body for every ratable condition with one score and a rationale. */
function ratingBody(who: Who, score: number, rationale: string): string {
  const body = new URLSearchParams({ _csrf: who.csrf });
  for (const code of CODES) {
    body.append('c', code);
    body.append(`score:${code}`, String(score));
    body.append(`reason:${code}`, '');
    body.append(`rationale:${code}`, `${rationale} on ${code}`);
  }
  return body.toString();
}

function setRatersPerCase(env: Env, ratersPerCase: number): void {
  const study = env.services.repos.studies.findById(env.studyId)!;
  env.services.studies.update(env.studyId, { title: study.title, question: study.question, language: study.language, settings: { ...settingsOf(study), ratersPerCase } }, env.leadId);
}

describe('blinding counts raters (issue 13.1)', () => {
  it('keeps a case blind while it has fewer than ratersPerCase raters, when one rater was imported; the second rater rates without her scores in view', async () => {
    const env = await setUp();
    const { studyId, lead, ann, bob, carol, vera, admin, services, annId, bobId } = env;
    addCase(env, 'c3', 'Cuijk');
    // The lead imports Ann's complete, submitted set of c3: she becomes its only rater.
    const csv = ['case,condition,rater,score,rationale', ...CODES.map((code) => `c3,${code},ann@example.org,2,${ANN_C3} on ${code}`)].join('\n');
    const res = await upload(lead, `/studies/${studyId}/ratings/import`, `${csv}\n`);
    expect(res.status).toBe(303);
    const c3 = services.repos.cases.findByKey(studyId, 'c3')!;
    expect(services.repos.cases.ratersOf(c3.id).map((r) => r.user_id)).toEqual([annId]);
    expect(services.repos.ratings.isBlind(c3.id)).toBe(true);

    // Nobody but Ann reads her c3 texts: not the lead, researchers, the viewer, the administrator, ratings.csv or a report.
    for (const [persona, who] of [['the lead', lead], ['a researcher', carol], ['a viewer', vera], ['an administrator', admin], ['Bob', bob]] as [string, Who][]) {
      expect(leaks(await walk(env, who, persona), [ANN_C3]), `leaks of c3 to ${persona} with one of two raters`).toEqual([]);
    }
    expect((await lead.agent.get(`/studies/${studyId}/ratings.csv`)).text).not.toContain(ANN_C3);
    expect((await lead.agent.get(`/studies/${studyId}/cases/c3/report`)).text).not.toContain(ANN_C3);
    expect(JSON.stringify(services.studyFile.exporter.run(studyId, 'unblinded'))).not.toContain(ANN_C3);
    // A positive control: Ann's own download holds them.
    expect((await ann.agent.get(`/studies/${studyId}/ratings.csv`)).text).toContain(ANN_C3);

    // Bob is assigned as the second rater and rates through the form: nothing of Ann's in view.
    expect(services.assignment.save(studyId, env.leadId, 'c3', [annId, bobId])).toBe(true);
    const form = await bob.agent.get(`/studies/${studyId}/cases/c3/rate`);
    expect(form.status).toBe(200);
    expect(form.text).not.toContain(ANN_C3);
    expect((await bob.agent.post(`/studies/${studyId}/cases/c3/rate`).type('form').send(ratingBody(bob, 4, BOB_C3))).status).toBe(303);
    expect(leaks(await walk(env, bob, 'Bob'), [ANN_C3]), 'Ann’s c3 texts shown to Bob while he drafts').toEqual([]);
    expect(services.repos.ratings.isBlind(c3.id)).toBe(true);

    // Bob submits: now both submitted and the lead reads both (the walk can find them).
    expect((await bob.agent.post(`/studies/${studyId}/cases/c3/rate/submit`).type('form').send({ _csrf: bob.csrf, confirmed: 'yes' })).status).toBe(303);
    expect(services.repos.ratings.isBlind(c3.id)).toBe(false);
    const overview = await lead.agent.get(`/studies/${studyId}/cases/c3/ratings`);
    expect(overview.text).toContain(`${ANN_C3} on 2.a`);
    expect(overview.text).toContain(`${BOB_C3} on 2.a`);
  }, 180_000);

  it('makes cases with fewer raters blind again when ratersPerCase is raised, and says so on the settings form', async () => {
    const env = await setUp();
    const { studyId, bob, lead, carol, vera, submit, services } = env;
    expect((await submit(bob, 'c1')).status).toBe(303);
    const c1 = services.repos.cases.findByKey(studyId, 'c1')!;
    expect(services.repos.ratings.isBlind(c1.id)).toBe(false);
    expect((await carol.agent.get(`/studies/${studyId}/ratings.csv`)).text).toContain(ANN_SECRET);

    setRatersPerCase(env, 3);
    expect(services.repos.ratings.isBlind(c1.id)).toBe(true);
    for (const [persona, who] of [['a researcher', carol], ['a viewer', vera], ['the lead', lead]] as [string, Who][]) {
      expect(leaks(await walk(env, who, persona), [ANN_SECRET]), `leaks to ${persona} after raising raters per case`).toEqual([]);
    }
    const form = await lead.agent.get(`/studies/${studyId}/edit`);
    expect(form.text).toContain('raising it makes every case with fewer raters blind again');
    expect((await lead.agent.get(`/studies/${studyId}/edit`).set('Accept-Language', 'nl')).text).toContain('Een casus blijft blind tot hij zoveel beoordelaars heeft');
  }, 180_000);
});

describe('a lead who rates a case (issue 13.2)', () => {
  it('cannot unblind it while their own ratings of it are drafts, and can once they submitted', async () => {
    const env = await setUp();
    const { studyId, lead, bob, services, leadId, bobId } = env;
    addCase(env, 'c4', 'Deurne');
    expect(services.assignment.save(studyId, leadId, 'c4', [leadId, bobId])).toBe(true);
    expect((await bob.agent.post(`/studies/${studyId}/cases/c4/rate`).type('form').send(ratingBody(bob, 3, BOB_C4))).status).toBe(303);
    expect((await bob.agent.post(`/studies/${studyId}/cases/c4/rate/submit`).type('form').send({ _csrf: bob.csrf, confirmed: 'yes' })).status).toBe(303);
    // The lead has not rated yet, then has drafts: both times the unblinding is refused.
    for (const step of ['nothing rated', 'drafts']) {
      if (step === 'drafts') expect((await lead.agent.post(`/studies/${studyId}/cases/c4/rate`).type('form').send(ratingBody(lead, 2, 'LEAD-DRAFT'))).status).toBe(303);
      const res = await lead.agent.post(`/studies/${studyId}/cases/c4/unblind`).type('form').send({ _csrf: lead.csrf, confirmed: 'yes' });
      expect(res.status, step).toBe(409);
      expect(res.text).toContain('You rate Deurne yourself and have not submitted your ratings of it');
      expect(services.repos.ratings.blindState(services.repos.cases.findByKey(studyId, 'c4')!.id).unblinded_at).toBeNull();
      const overview = (await lead.agent.get(`/studies/${studyId}/cases/c4/ratings`)).text;
      expect(overview).not.toContain(BOB_C4);
      expect(overview).not.toContain('/c4/unblind'); // the page explains instead of offering the button
      expect(overview).toContain('You rate Deurne yourself');
    }
    expect(services.repos.audit.listForStudy(studyId).filter((a) => a.action === 'unblind')).toEqual([]);
    // Another lead (the administrator, who does not rate c4) may unblind it, logged.
    const admin = env.admin;
    expect((await admin.agent.post(`/studies/${studyId}/cases/c4/unblind`).type('form').send({ _csrf: admin.csrf, confirmed: 'yes' })).status).toBe(303);
    expect(services.repos.audit.listForStudy(studyId).filter((a) => a.action === 'unblind')).toHaveLength(1);
  });
});

describe('evidence a submitted rating cites (issue 13.5)', () => {
  it('cannot be deleted while a submitted rating cites it: refused with the count while blind, naming the ratings once open; the database refuses too', async () => {
    const env = await setUp();
    const { studyId, carol, bob, submit, services, db } = env;
    const evidenceId = services.repos.evidence.list(studyId, { caseKey: 'c1' })[0]!.id;
    const del = (who: Who) => who.agent.post(`/studies/${studyId}/evidence/${evidenceId}/delete`).type('form').send({ _csrf: who.csrf, returnTo: `/studies/${studyId}/evidence` }).redirects(1);
    const blind = await del(carol);
    expect(blind.status).toBe(200);
    expect(blind.text).toContain('This evidence cannot be deleted: 1 submitted rating(s) cite it');
    expect(blind.text).not.toContain('Ann Rater (1.a)'); // who cited it is Ann's evidence choice, hidden while blind
    expect(services.repos.evidence.findById(studyId, evidenceId)).toBeDefined();
    expect((await submit(bob, 'c1')).status).toBe(303);
    const open = await del(carol);
    expect(open.text).toContain('This evidence cannot be deleted: the submitted ratings of Ann Rater (1.a) cite it');
    expect((await del(carol).set('Accept-Language', 'nl')).text).toContain('Dit bewijsstuk kan niet worden verwijderd');
    expect(services.repos.evidence.findById(studyId, evidenceId)).toBeDefined();
    // Whoever writes: the triggers keep the citation and the evidence with the locked rating.
    expect(() => db.prepare('DELETE FROM evidence WHERE id = ?').run(evidenceId)).toThrow(/cited by a submitted rating/);
    expect(() => db.prepare('DELETE FROM rating_evidence WHERE evidence_id = ?').run(evidenceId)).toThrow(/submitted rating cites/);
    const otherCase = services.repos.cases.findByKey(studyId, 'c2')!.id;
    expect(() => db.prepare('UPDATE evidence SET case_id = ? WHERE id = ?').run(otherCase, evidenceId)).toThrow(/cannot move to another case/);
    expect(db.prepare('SELECT count(*) FROM rating_evidence WHERE evidence_id = ?').pluck().get(evidenceId)).toBe(1);
  });

  it('can be deleted when only drafts cite it (the draft loses the citation)', async () => {
    const env = await setUp();
    const { studyId, carol, services, save, ann } = env;
    // A new case whose evidence only Ann's draft cites.
    addCase(env, 'c5', 'Epe');
    services.interviews.create(studyId, { case: 'c5', date: '2026-05-02', participants: 1, notes: 'n', status: 'held', roles: [], interviewers: [], conditions: [] }, env.leadId);
    const source = services.repos.interviews.listForCase(services.repos.cases.findByKey(studyId, 'c5')!.id)[0]!.key;
    services.evidence.add(studyId, { source: `interview:${source}`, quote: 'draft-only quote', locator: '', conditions: ['1.a'] }, env.leadId);
    const c5Evidence = services.repos.evidence.list(studyId, { caseKey: 'c5' })[0]!.id;
    expect(services.assignment.save(studyId, env.leadId, 'c5', [env.annId, env.bobId])).toBe(true);
    expect((await save(ann, 'c5', { '1.a': { score: 3, rationale: 'draft', evidence: [String(c5Evidence)] } })).status).toBe(303);
    const res = await carol.agent.post(`/studies/${studyId}/evidence/${c5Evidence}/delete`).type('form').send({ _csrf: carol.csrf }).redirects(1);
    expect(res.text).toContain('The evidence is deleted.');
    expect(services.repos.evidence.findById(studyId, c5Evidence)).toBeUndefined();
  });
});

describe('a lead sees progress, not content, while a case is blind (issue 13.6)', () => {
  it('logs a submission without a cannot-judge count', async () => {
    const { services, studyId } = await setUp();
    const submissions = services.repos.audit.listForStudy(studyId).filter((a) => a.action === 'submit-ratings');
    expect(submissions.length).toBeGreaterThanOrEqual(2);
    for (const a of submissions) expect(JSON.parse(String(a.after))).toEqual({ case: expect.any(String), ratings: 5 });
  });
});

describe('viewers read no raw fieldwork unless a lead opens it (issue 13.7)', () => {
  it('walks every route as the viewer: no interview notes, document text or evidence list; the lead’s logged setting opens them', async () => {
    const env = await setUp();
    const { studyId, vera, services } = env;
    const closed = await walk(env, vera, 'a viewer');
    // Reports are a viewer's to read (PRODUCT.md); they are walked separately below.
    const raw = (pages: typeof closed) => pages.filter((p) => !/\/report(\.docx)?(\?|$)/.test(p.url));
    expect(leaks(raw(closed), [NOTES, PLAN, EVIDENCE_QUOTE]), 'raw fieldwork shown to a viewer').toEqual([]);
    for (const url of [`/studies/${studyId}/interviews`, `/studies/${studyId}/evidence`, `/studies/${studyId}/search?q=secret`, `/studies/${studyId}/cases/c1/documents`]) {
      expect(closed.find((p) => p.url === url)?.status, url).toBe(403);
    }
    const casePage = closed.find((p) => p.url === `/studies/${studyId}/cases/c1`)!;
    expect(casePage.status).toBe(200);
    expect(casePage.body).toContain('Interview notes, documents and evidence are for the research team.');
    expect(casePage.body).not.toContain(`/studies/${studyId}/evidence"`);

    // The lead opens the fieldwork to viewers (logged): the same walk finds it.
    const study = services.repos.studies.findById(studyId)!;
    services.studies.update(studyId, { title: study.title, question: study.question, language: study.language, settings: { ...settingsOf(study), viewersSeeFieldwork: true } }, env.leadId);
    const open = await walk(env, vera, 'a viewer with the fieldwork open');
    const found = leaks(open, [NOTES, PLAN, EVIDENCE_QUOTE]);
    expect(found).toContain(`${NOTES} in GET /studies/${studyId}/interviews/${services.repos.interviews.listForCase(services.repos.cases.findByKey(studyId, 'c1')!.id)[0]!.key} (200)`);
    expect(found.some((f) => f.startsWith(`${EVIDENCE_QUOTE} in GET /studies/${studyId}/evidence`))).toBe(true);
    expect(found.some((f) => f.startsWith(`${PLAN} in GET /studies/${studyId}/documents/`))).toBe(true);
    const logged = services.repos.audit.listForStudy(studyId).find((a) => a.action === 'update' && a.entity === 'study')!;
    expect(JSON.parse(String(logged.before)).settings.viewersSeeFieldwork).toBe(false);
    expect(JSON.parse(String(logged.after)).settings.viewersSeeFieldwork).toBe(true);
  }, 180_000);
});
