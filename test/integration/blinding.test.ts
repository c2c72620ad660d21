// Blinding, end to end (issue #5): walks every GET route of the app — taken from `app.routeTable`, so
// a route added later cannot escape — as the other rater, the lead, a researcher who does not rate,
// a viewer and a site administrator, before every rater of a case has submitted, and asserts that a
// rater's unique rationale, cannot-judge reason and evidence choice never reach anyone but them.
// Positive controls show that the same texts do appear where they should (the rater's own form; the
// lead's pages once everyone submitted), so the walk can fail. Drafts stay private even after
// submission and after an explicit unblinding, on every page and in the study export.
import { describe, expect, it } from 'vitest';
import { ANN_C2_DRAFT, ANN_C2_REASON, ANN_REASON, ANN_SECRET, BOB_C2, BOB_DRAFT, EVIDENCE_QUOTE, leaks, setUp, walk, type Who } from './blinding.fixture.ts';

describe('blinding across every route', () => {
  it('walks every GET route as the other rater, the lead, another researcher, a viewer and an administrator before submission: no rater’s text leaks', async () => {
    const env = await setUp();
    const { studyId, bob, lead, carol, vera, admin, ann } = env;
    // Everything of Ann's (her submitted c1, her c2 drafts) and Bob's c2 submission, which c2's blindness hides.
    const notForOthers = [ANN_SECRET, ANN_REASON, ANN_C2_DRAFT, ANN_C2_REASON, BOB_C2];
    const personas: [string, Who, string[]][] = [
      ['Bob (the other rater)', bob, [ANN_SECRET, ANN_REASON, ANN_C2_DRAFT, ANN_C2_REASON]],
      ['the lead', lead, [...notForOthers, BOB_DRAFT]],
      ['a researcher who does not rate', carol, [...notForOthers, BOB_DRAFT]],
      ['a viewer', vera, [...notForOthers, BOB_DRAFT]],
      ['a site administrator', admin, [...notForOthers, BOB_DRAFT]],
      // Ann sees her own texts; never Bob's draft of c1, nor his submitted c2 while she has not submitted c2.
      ['Ann', ann, [BOB_DRAFT, BOB_C2]],
    ];
    for (const [persona, who, secrets] of personas) {
      const pages = await walk(env, who, persona);
      expect(pages.length).toBeGreaterThan(60);
      expect(leaks(pages, secrets), `leaks to ${persona}`).toEqual([]);
      if (who !== ann) {
        // Ann's evidence choice: no one else is shown which evidence she cited (nobody else cites any).
        expect(pages.filter((p) => /Cited evidence|Evidence cited/.test(p.body)).map((p) => p.url), `evidence choice shown to ${persona}`).toEqual([]);
      }
      // Searching for a rater's text finds nothing (the page only repeats the query); a viewer may not search raw fieldwork at all.
      for (const secret of [ANN_SECRET, ANN_REASON, BOB_DRAFT, BOB_C2, ANN_C2_DRAFT, ANN_C2_REASON]) {
        const page = pages.find((p) => p.url === `/studies/${studyId}/search?q=${encodeURIComponent(secret)}`)!;
        if (who === vera) expect(page.status, `search as ${persona}`).toBe(403);
        else expect(page.body, `search for ${secret} as ${persona}`).toContain(`Nothing found for “${secret}”.`);
      }
    }

    // Bob's own form: his draft, and none of Ann's choices (scores, texts, evidence).
    const bobForm = await bob.agent.get(`/studies/${studyId}/cases/c1/rate`);
    expect(bobForm.status).toBe(200);
    expect(bobForm.text).toContain(BOB_DRAFT);
    expect(bobForm.text).toContain(EVIDENCE_QUOTE); // the case's evidence is offered…
    expect(bobForm.text).not.toMatch(/name="evidence:[^"]+" value="\d+" checked/); // …but none is ticked
    expect(bobForm.text).toMatch(/name="score:1.b.2" value="2" checked/); // his own score, not Ann's "cannot judge"
    expect(bobForm.text).not.toMatch(/name="score:1.b.2" value="n" checked/);
    // The lead sees progress, not scores.
    const overview = await lead.agent.get(`/studies/${studyId}/cases/c1/ratings`);
    expect(overview.text).toContain('Blind until all raters have submitted.');
    expect(overview.text).toContain('5 submitted, 0 drafts of 5');
    expect(overview.text).toContain('0 submitted, 5 drafts of 5');
    // Search works (a positive control for the search requests): "secret" finds the interview notes.
    expect((await lead.agent.get(`/studies/${studyId}/search?q=secret`)).text).toContain('1 result(s) for “secret”');
  }, 120_000);

  it('positive control: Ann sees her own texts and evidence choice on her forms, and the walk finds them', async () => {
    const env = await setUp();
    const { ann, studyId } = env;
    // The walk's own control: as Ann, it does find her texts where she may see them.
    const found = leaks(await walk(env, ann, 'Ann'), [ANN_SECRET, ANN_REASON, ANN_C2_DRAFT]);
    for (const expected of [
      `${ANN_SECRET} in GET /studies/${studyId}/cases/c1/rate (200)`,
      `${ANN_REASON} in GET /studies/${studyId}/cases/c1/rate (200)`,
      `${ANN_C2_DRAFT} in GET /studies/${studyId}/cases/c2/rate (200)`,
      `${ANN_SECRET} in GET /studies/${studyId}/ratings.csv (200)`,
    ]) expect(found).toContain(expected);
    const c1 = await ann.agent.get(`/studies/${studyId}/cases/c1/rate`);
    expect(c1.status).toBe(200);
    expect(c1.text).toContain(`${ANN_SECRET} on 2.a`);
    expect(c1.text).toContain(ANN_REASON);
    expect(c1.text).toContain('Cited evidence');
    expect(c1.text).toContain(EVIDENCE_QUOTE);
    const c2 = await ann.agent.get(`/studies/${studyId}/cases/c2/rate`);
    expect(c2.text).toContain(ANN_C2_DRAFT);
    expect(c2.text).toContain(ANN_C2_REASON);
    const csv = await ann.agent.get(`/studies/${studyId}/ratings.csv`);
    expect(csv.text).toContain(ANN_SECRET);
    expect(csv.text).toContain(ANN_C2_DRAFT);
    expect(csv.text).not.toContain(BOB_DRAFT);
    expect(csv.text).not.toContain(BOB_C2);
  });

  it('once Bob submits c1 the lead sees Ann’s ratings of c1; her c2 drafts still reach no one but her', async () => {
    const env = await setUp();
    const { studyId, bob, lead, carol, vera, admin, ann, submit } = env;
    expect((await submit(bob, 'c1')).status).toBe(303);

    // Second positive control: the lead's ratings page and the reconciliation items now show Ann's texts.
    const overview = await lead.agent.get(`/studies/${studyId}/cases/c1/ratings`);
    expect(overview.status).toBe(200);
    expect(overview.text).toContain(`${ANN_SECRET} on 2.a`);
    expect(overview.text).toContain(ANN_REASON);
    expect(overview.text).toContain(`${BOB_DRAFT} on 2.a`); // submitted now, so no longer a draft
    const queue = await lead.agent.get(`/studies/${studyId}/reconcile?case=c1`);
    for (const code of ['2.a', '1.b.1', '1.b.2']) expect(queue.text).toContain(`/reconcile/cases/c1/items/${code}`);
    const major = await lead.agent.get(`/studies/${studyId}/reconcile/cases/c1/items/2.a`);
    expect(major.status).toBe(200);
    expect(major.text).toContain(`${ANN_SECRET} on 2.a`);
    expect(major.text).toContain(`${BOB_DRAFT} on 2.a`);
    const partly = await lead.agent.get(`/studies/${studyId}/reconcile/cases/c1/items/1.b.2`);
    expect(partly.text).toContain(ANN_REASON);
    // Bob, a rater of c1, sees Ann's rationale on the item too.
    expect((await bob.agent.get(`/studies/${studyId}/reconcile/cases/c1/items/2.a`)).text).toContain(`${ANN_SECRET} on 2.a`);

    // c2 is still blind (Ann has drafts only): her drafts, and Bob's c2 submission, stay hidden.
    for (const [persona, who, secrets] of [
      ['Bob', bob, [ANN_C2_DRAFT, ANN_C2_REASON]],
      ['the lead', lead, [ANN_C2_DRAFT, ANN_C2_REASON, BOB_C2]],
      ['a researcher who does not rate', carol, [ANN_C2_DRAFT, ANN_C2_REASON, BOB_C2]],
      ['a viewer', vera, [ANN_C2_DRAFT, ANN_C2_REASON, BOB_C2]],
      ['a site administrator', admin, [ANN_C2_DRAFT, ANN_C2_REASON, BOB_C2]],
      ['Ann', ann, [BOB_C2]],
    ] as [string, Who, string[]][]) {
      expect(leaks(await walk(env, who, persona), secrets), `leaks to ${persona} after Bob submitted c1`).toEqual([]);
    }
    const exported = JSON.stringify(env.services.studyFile.exporter.run(studyId, 'unblinded'));
    expect(exported).toContain(ANN_SECRET);
    expect(exported).not.toContain(ANN_C2_DRAFT);
    expect(exported).not.toContain(BOB_C2);
  }, 120_000);

  it('after the lead unblinds c2 explicitly, the lead sees Bob’s submitted ratings but never Ann’s drafts', async () => {
    const env = await setUp();
    const { studyId, bob, lead, carol, vera, admin, services, tick } = env;
    tick('2026-06-02T09:00:00Z');
    expect((await lead.agent.post(`/studies/${studyId}/cases/c2/unblind`).type('form').send({ _csrf: lead.csrf, confirmed: 'yes' })).status).toBe(303);
    const overview = await lead.agent.get(`/studies/${studyId}/cases/c2/ratings`);
    expect(overview.text).toContain('Unblinded by Lena Lead on 2026-06-02 09:00.');
    expect(overview.text).toContain(`${BOB_C2} on 1.a`);
    expect(overview.text).not.toContain(ANN_C2_DRAFT);
    expect(overview.text).not.toContain(ANN_C2_REASON);
    for (const [persona, who] of [['Bob', bob], ['the lead', lead], ['a researcher who does not rate', carol], ['a viewer', vera], ['a site administrator', admin]] as [string, Who][]) {
      expect(leaks(await walk(env, who, persona), [ANN_C2_DRAFT, ANN_C2_REASON]), `drafts shown to ${persona} after unblinding`).toEqual([]);
    }
    const exported = JSON.stringify(services.studyFile.exporter.run(studyId, 'unblinded'));
    expect(exported).toContain(BOB_C2);
    expect(exported).not.toContain(ANN_C2_DRAFT);
    expect(exported).not.toContain(BOB_DRAFT); // c1: Bob's draft
  }, 120_000);

  it('the CLI study export (unblinded) holds no draft and nothing of a blind case', async () => {
    const { services, studyId } = await setUp();
    const exported = JSON.stringify(services.studyFile.exporter.run(studyId, 'unblinded'));
    for (const secret of [ANN_SECRET, ANN_REASON, ANN_C2_DRAFT, ANN_C2_REASON, BOB_DRAFT, BOB_C2]) expect(exported).not.toContain(secret);
    // The operator's archive holds everything, drafts included (a control that the texts are in the data).
    const archive = JSON.stringify(services.studyFile.exporter.run(studyId, 'archive'));
    for (const secret of [ANN_SECRET, ANN_C2_DRAFT, BOB_DRAFT, BOB_C2]) expect(archive).toContain(secret);
  });
});
