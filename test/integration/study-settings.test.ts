// The study's rating settings on the study form: each saved and audited (one entry per save, with
// before and after), each refusal a 422 with the input kept and the reason named (scale bounds and
// span, the scale fixed once rated, raters per case not below a case's raters, the interview rule
// not against existing assignments), blinding switched off opening submitted ratings at once, the
// new-study form, leads only, and the study file export carrying the settings.
import { describe, expect, it } from 'vitest';
import { settingsOf } from '../../server/studies/studies.repo.ts';
import type { StudySettings } from '../../server/studyfile/studyfile.schema.ts';
import { validateStudyFile } from '../../server/studyfile/studyfile.validate.ts';
import { loginAs, makeUser, testApp, type Agent } from '../helpers/app.ts';

const FRAMEWORK = {
  title: 'Small',
  levels: [{ number: 1, name: 'Causes' }],
  conditions: [
    { code: '1.a', level: 1, name: 'Inflow', polarity: 'higher-is-favourable', kind: 'rated' },
    { code: '1.b', level: 1, name: 'Outflow', polarity: 'higher-is-favourable', kind: 'rated' },
  ],
};
const CASE_NAMES = ['Almere', 'Breda', 'Delft', 'Emmen', 'Gouda', 'Haarlem', 'Leiden', 'Oss', 'Sneek', 'Tiel', 'Venlo', 'Zwolle'];

interface SetUpOptions {
  settings?: Partial<StudySettings>;
  /** Case keys c1, c2, … named after CASE_NAMES, each with these raters (emails) or none. */
  cases?: (string[] | null)[];
  interviews?: { case: string; interviewers: string[] }[];
}

async function setUp(options: SetUpOptions = {}) {
  const ctx = testApp();
  const leadId = await makeUser(ctx.services, { email: 'lead@example.org', name: 'Lena Lead' });
  for (const [email, name] of [['ann@example.org', 'Ann Rater'], ['bob@example.org', 'Bob Rater'], ['carol@example.org', 'Carol Rater'], ['view@example.org', 'Vera Viewer']]) {
    await makeUser(ctx.services, { email: email!, name });
  }
  const cases = options.cases ?? [['ann@example.org', 'bob@example.org'], null];
  const doc = {
    format: 'kader.study', version: 1,
    study: { title: 'Settings study', language: 'en', question: 'Why?', settings: options.settings ?? {} },
    framework: FRAMEWORK,
    members: [
      { email: 'ann@example.org', name: 'Ann Rater', role: 'researcher' },
      { email: 'bob@example.org', name: 'Bob Rater', role: 'researcher' },
      { email: 'carol@example.org', name: 'Carol Rater', role: 'researcher' },
      { email: 'view@example.org', name: 'Vera Viewer', role: 'viewer' },
    ],
    cases: cases.map((raters, i) => ({ key: `c${i + 1}`, name: CASE_NAMES[i]!, ...(raters ? { raters } : {}) })),
    interviews: (options.interviews ?? []).map((iv, i) => ({ key: `i${i + 1}`, case: iv.case, interviewers: iv.interviewers, status: 'held' })),
  };
  const valid = validateStudyFile(doc);
  if (!valid.ok) throw new Error(JSON.stringify(valid.problems));
  const { studyId } = await ctx.services.studyFile.importer.run(valid.doc, { owner: leadId, actorId: leadId });
  const lead = await loginAs(ctx.app, 'lead@example.org');
  const editUrl = `/studies/${studyId}/edit`;
  const study = () => ctx.services.repos.studies.findById(studyId)!;
  const settings = () => settingsOf(study());
  const updates = () => ctx.services.repos.audit.listForStudy(studyId).filter((a) => a.entity === 'study' && a.action === 'update');

  /** The whole form as a browser sends it: the saved values with `changes`; a checkbox is sent only when ticked. */
  const formBody = (changes: Record<string, string | boolean> = {}) => {
    const s = settings();
    const fields: Record<string, string | boolean> = {
      title: study().title, question: study().question, language: study().language,
      scaleMin: String(s.scale.min), scaleMax: String(s.scale.max), ratersPerCase: String(s.ratersPerCase),
      classification: s.classification, blindRating: s.blindRating, secondRaterNotAtInterviews: s.secondRaterNotAtInterviews,
      viewersSeeFieldwork: s.viewersSeeFieldwork,
      ...changes,
    };
    const body: Record<string, string> = {};
    for (const [k, v] of Object.entries(fields)) {
      if (v === true) body[k] = 'on';
      else if (v !== false) body[k] = v;
    }
    return body;
  };
  const save = (changes: Record<string, string | boolean> = {}, who: { agent: Agent; csrf: string } = lead) =>
    who.agent.post(`/studies/${studyId}`).type('form').send({ _csrf: who.csrf, ...formBody(changes) });
  return { ...ctx, leadId, studyId, lead, editUrl, study, settings, updates, formBody, save };
}

/** Posts one rater's ratings of both conditions of case c1 (`submit`: and submits them). */
async function rate(ctx: { app: Parameters<typeof loginAs>[0]; studyId: number }, email: string, rationale: string, submit: boolean) {
  const who = await loginAs(ctx.app, email);
  const url = `/studies/${ctx.studyId}/cases/c1/rate`;
  const body = new URLSearchParams({ _csrf: who.csrf });
  for (const code of ['1.a', '1.b']) {
    body.append('c', code);
    body.append(`score:${code}`, '3');
    body.append(`reason:${code}`, '');
    body.append(`rationale:${code}`, rationale);
  }
  expect((await who.agent.post(url).type('form').send(body.toString())).status).toBe(303);
  if (submit) expect((await who.agent.post(`${url}/submit`).type('form').send({ _csrf: who.csrf, confirmed: 'yes' })).status).toBe(303);
}

describe('the study form shows the rating settings', () => {
  it('with the saved values and a hint under each field, naming the bounds', async () => {
    const { lead, editUrl } = await setUp({ settings: { ratersPerCase: 3, classification: 'absolute' }, cases: [null] });
    const res = await lead.agent.get(editUrl);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<legend>Rating settings</legend>');
    expect(res.text).toMatch(/name="scaleMin" value="1"/);
    expect(res.text).toMatch(/name="scaleMax" value="5"/);
    expect(res.text).toMatch(/<option value="3" selected>3<\/option>/);
    expect(res.text).toMatch(/name="blindRating" checked/);
    expect(res.text).not.toMatch(/name="secondRaterNotAtInterviews" checked/);
    expect(res.text).toMatch(/value="absolute" checked/);
    expect(res.text).toContain('The lowest score can be 0 to 10 and the highest 1 to 20; a scale has 2 to 10 points');
    expect(res.text).toContain('independently: 2 to 4.');
    expect(res.text).toContain('Switching it off makes every submitted rating visible at once to the lead and to the other raters of the case');
    expect(res.text).toContain('Per condition the cases are ranked by favourability');
    expect(res.text).toContain('on 1–5: 1–2 low, 3 medium, 4–5 high');
  });

  it('in Dutch for a Dutch interface', async () => {
    const { lead, editUrl } = await setUp();
    await lead.agent.post('/language').type('form').send({ _csrf: lead.csrf, language: 'nl', next: editUrl });
    const res = await lead.agent.get(editUrl);
    expect(res.text).toContain('<legend>Instellingen voor het beoordelen</legend>');
    expect(res.text).toContain('Zet je dit uit, dan is elke ingediende score meteen zichtbaar');
  });
});

describe('saving the settings', () => {
  it('saves each setting, with one audit entry per save holding the study before and after', async () => {
    const { save, settings, updates } = await setUp();
    const steps: [Record<string, string | boolean>, Partial<StudySettings>][] = [
      [{ scaleMin: '0', scaleMax: '9' }, { scale: { min: 0, max: 9 } }],
      [{ ratersPerCase: '4' }, { ratersPerCase: 4 }],
      [{ ratersPerCase: '3' }, { ratersPerCase: 3 }],
      [{ blindRating: false }, { blindRating: false }],
      [{ blindRating: true }, { blindRating: true }],
      [{ classification: 'absolute' }, { classification: 'absolute' }],
      [{ secondRaterNotAtInterviews: true }, { secondRaterNotAtInterviews: true }],
      [{ secondRaterNotAtInterviews: false }, { secondRaterNotAtInterviews: false }],
    ];
    for (const [i, [changes, expected]] of steps.entries()) {
      const before = settings();
      const res = await save(changes);
      expect(res.status, JSON.stringify(changes)).toBe(303);
      expect(settings()).toEqual({ ...before, ...expected });
      const log = updates();
      expect(log).toHaveLength(i + 1);
      const entry = log[0]!; // newest first
      expect(entry.actor_email).toBe('lead@example.org');
      expect(JSON.parse(entry.before!)).toEqual({ title: 'Settings study', question: 'Why?', language: 'en', settings: before });
      expect(JSON.parse(entry.after!)).toEqual({ title: 'Settings study', question: 'Why?', language: 'en', settings: { ...before, ...expected } });
    }
  });

  it('saves text and several settings in one go, as one audit entry', async () => {
    const { save, settings, updates, study } = await setUp();
    const res = await save({ title: 'Renamed', scaleMin: '1', scaleMax: '10', blindRating: false, classification: 'absolute' });
    expect(res.status).toBe(303);
    expect(study().title).toBe('Renamed');
    expect(settings()).toEqual({ scale: { min: 1, max: 10 }, ratersPerCase: 2, blindRating: false, classification: 'absolute', secondRaterNotAtInterviews: false, viewersSeeFieldwork: false });
    expect(updates()).toHaveLength(1);
  });

  it('leaves the settings alone when a request carries only title, question and language', async () => {
    const { lead, studyId, settings, updates } = await setUp({ settings: { blindRating: true, secondRaterNotAtInterviews: true } });
    const before = settings();
    const res = await lead.agent.post(`/studies/${studyId}`).type('form').send({ _csrf: lead.csrf, title: 'Only text', question: '', language: 'nl' });
    expect(res.status).toBe(303);
    expect(settings()).toEqual(before);
    expect(JSON.parse(updates()[0]!.after!).settings).toEqual(before);
  });

  it('allows changing the scale while there are no ratings, and raising raters per case at any time', async () => {
    const { save, settings } = await setUp({ cases: [['ann@example.org', 'bob@example.org']] });
    expect((await save({ scaleMin: '1', scaleMax: '7', ratersPerCase: '3' })).status).toBe(303);
    expect(settings().scale).toEqual({ min: 1, max: 7 });
    expect(settings().ratersPerCase).toBe(3);
  });
});

describe('refused settings come back with 422, the input kept and the reason named', () => {
  const refusals: [string, Record<string, string | boolean>, string][] = [
    ['a scale whose highest score is not above the lowest', { scaleMin: '5', scaleMax: '5' }, 'The highest score must be above the lowest.'],
    ['a lowest score off the bounds', { scaleMin: '11', scaleMax: '15' }, 'The lowest score must be from 0 to 10.'],
    ['a highest score off the bounds', { scaleMin: '1', scaleMax: '21' }, 'The highest score must be from 1 to 20.'],
    ['a scale of more than ten points', { scaleMin: '1', scaleMax: '11' }, 'A scale has at most 10 points: starting at 1, the highest score can be at most 10.'],
    ['a scale that is not a whole number', { scaleMin: '1.5', scaleMax: '5' }, 'Enter a whole number, such as 5.'],
    ['an empty scale end', { scaleMin: '1', scaleMax: '' }, 'Fill in this field.'],
    ['raters per case off the bounds', { ratersPerCase: '5' }, 'Choose 2 to 4 raters per case.'],
    ['an unknown classification', { classification: 'ordinal' }, 'Choose one of the options.'],
  ];
  for (const [what, changes, message] of refusals) {
    it(`refuses ${what}`, async () => {
      const { save, settings, updates } = await setUp();
      const before = settings();
      const res = await save({ title: 'Typed title kept', blindRating: false, ...changes });
      expect(res.status).toBe(422);
      expect(res.text).toContain(message);
      expect(res.text).toContain('value="Typed title kept"');
      for (const field of ['scaleMin', 'scaleMax'] as const) {
        if (typeof changes[field] === 'string') expect(res.text).toMatch(new RegExp(`name="${field}" value="${changes[field]!.replace('.', '\\.')}"`));
      }
      // The unticked box stays unticked: what the user sent, not what is saved.
      expect(res.text).not.toMatch(/name="blindRating" checked/);
      expect(settings()).toEqual(before);
      expect(updates()).toHaveLength(0);
    });
  }

  it('names the problems in Dutch for a Dutch interface', async () => {
    const { lead, save, editUrl } = await setUp();
    await lead.agent.post('/language').type('form').send({ _csrf: lead.csrf, language: 'nl', next: editUrl });
    const res = await save({ scaleMin: '4', scaleMax: '2', ratersPerCase: '9' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('De hoogste score moet boven de laagste liggen.');
    expect(res.text).toContain('Kies 2 tot en met 4 beoordelaars per casus.');
  });

  it('keeps the scale once any rating exists, a draft included, and says why', async () => {
    const ctx = await setUp();
    await rate(ctx, 'ann@example.org', 'a draft', false);
    const res = await ctx.save({ scaleMin: '0', scaleMax: '9', classification: 'absolute' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('The scale cannot change: this study already has ratings on 1–5 (2 so far, drafts included)');
    expect(res.text).toMatch(/name="scaleMax" value="9"/);
    expect(res.text).toMatch(/value="absolute" checked/);
    expect(ctx.settings().scale).toEqual({ min: 1, max: 5 });
    expect(ctx.settings().classification).toBe('relative');
    // The other settings can still change, with the scale as it is.
    expect((await ctx.save({ classification: 'absolute' })).status).toBe(303);
    expect(ctx.settings().classification).toBe('absolute');
  });

  it('does not lower raters per case below the raters a case has, naming the cases', async () => {
    const three = ['ann@example.org', 'bob@example.org', 'carol@example.org'];
    const { save, settings } = await setUp({ settings: { ratersPerCase: 3 }, cases: [three, ['ann@example.org', 'bob@example.org', 'carol@example.org'], null] });
    const res = await save({ ratersPerCase: '2' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Raters per case cannot be lowered to 2: these cases already have more raters: Almere (3), Breda (3).');
    expect(res.text).toMatch(/<option value="2" selected>2<\/option>/);
    expect(settings().ratersPerCase).toBe(3);
    expect((await save({ ratersPerCase: '4' })).status).toBe(303);
  });

  it('names at most ten cases, then says how many more', async () => {
    const three = ['ann@example.org', 'bob@example.org', 'carol@example.org'];
    const { save } = await setUp({ settings: { ratersPerCase: 3 }, cases: Array.from({ length: 12 }, () => three) });
    const res = await save({ ratersPerCase: '2' });
    expect(res.status).toBe(422);
    expect(res.text).toContain(`${CASE_NAMES.slice(0, 10).map((n) => `${n} (3)`).join(', ')} and 2 more.`);
    expect(res.text).not.toContain('Venlo');
  });

  it('does not switch the interview rule on while a later rater attended an interview, naming the cases and raters', async () => {
    const { save, settings } = await setUp({
      cases: [['ann@example.org', 'bob@example.org'], ['ann@example.org', 'bob@example.org'], ['carol@example.org', 'ann@example.org']],
      interviews: [
        { case: 'c1', interviewers: ['bob@example.org'] }, // rater 2 attended: refused
        { case: 'c2', interviewers: ['ann@example.org'] }, // rater 1 attended: allowed
        { case: 'c3', interviewers: ['ann@example.org', 'carol@example.org'] }, // rater 2 attended: refused
      ],
    });
    const res = await save({ secondRaterNotAtInterviews: true, title: 'Kept title' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('This rule cannot be switched on: in these cases a rater other than the first attended an interview of the case: Almere (Bob Rater), Delft (Ann Rater).');
    expect(res.text).not.toContain('Breda (');
    expect(res.text).toMatch(/name="secondRaterNotAtInterviews" checked/);
    expect(res.text).toContain('value="Kept title"');
    expect(settings().secondRaterNotAtInterviews).toBe(false);
  });

  it('switches the interview rule on when only first raters attended', async () => {
    const { save, settings } = await setUp({
      cases: [['ann@example.org', 'bob@example.org']],
      interviews: [{ case: 'c1', interviewers: ['ann@example.org', 'carol@example.org'] }], // Carol attended but does not rate c1
    });
    expect((await save({ secondRaterNotAtInterviews: true })).status).toBe(303);
    expect(settings().secondRaterNotAtInterviews).toBe(true);
  });

  it('lists every refused setting at once', async () => {
    const three = ['ann@example.org', 'bob@example.org', 'carol@example.org'];
    const ctx = await setUp({ settings: { ratersPerCase: 3 }, cases: [three], interviews: [{ case: 'c1', interviewers: ['carol@example.org'] }] });
    const res = await ctx.save({ scaleMin: '3', scaleMax: '1', ratersPerCase: '2', secondRaterNotAtInterviews: true });
    expect(res.status).toBe(422);
    expect(res.text).toContain('The highest score must be above the lowest.');
    expect(res.text).toContain('Raters per case cannot be lowered to 2');
    expect(res.text).toContain('This rule cannot be switched on');
  });
});

describe('switching blind rating off', () => {
  it('shows one rater’s submitted ratings on the lead’s page at once, while the other has not submitted', async () => {
    const ctx = await setUp();
    await rate(ctx, 'ann@example.org', 'ANN-SUBMITTED-RATIONALE', true);
    await rate(ctx, 'bob@example.org', 'BOB-DRAFT-RATIONALE', false);
    const url = `/studies/${ctx.studyId}/cases/c1/ratings`;
    const blind = await ctx.lead.agent.get(url);
    expect(blind.status).toBe(200);
    expect(blind.text).toContain('Blind until all raters have submitted.');
    expect(blind.text).not.toContain('ANN-SUBMITTED-RATIONALE');

    expect((await ctx.save({ blindRating: false })).status).toBe(303);
    const open = await ctx.lead.agent.get(url);
    expect(open.text).not.toContain('Blind until all raters have submitted.');
    expect(open.text).toContain('ANN-SUBMITTED-RATIONALE');
    expect(open.text).not.toContain('BOB-DRAFT-RATIONALE'); // drafts stay private
    const entry = ctx.updates()[0]!;
    expect(JSON.parse(entry.before!).settings.blindRating).toBe(true);
    expect(JSON.parse(entry.after!).settings.blindRating).toBe(false);

    // Switching it on again blinds the case again: Bob still has not submitted.
    expect((await ctx.save({ blindRating: true })).status).toBe(303);
    expect((await ctx.lead.agent.get(url)).text).not.toContain('ANN-SUBMITTED-RATIONALE');
  });
});

describe('who may change the settings', () => {
  it('a researcher or a viewer gets 403 on the form and on saving, and nothing changes', async () => {
    const { app, editUrl, studyId, formBody, settings, updates } = await setUp();
    const before = settings();
    for (const email of ['ann@example.org', 'view@example.org']) {
      const who = await loginAs(app, email);
      expect((await who.agent.get(editUrl)).status).toBe(403);
      const res = await who.agent.post(`/studies/${studyId}`).type('form').send({ _csrf: who.csrf, ...formBody({ blindRating: false, ratersPerCase: '4' }) });
      expect(res.status).toBe(403);
    }
    expect(settings()).toEqual(before);
    expect(updates()).toHaveLength(0);
  });
});

describe('a new study', () => {
  const newStudy = {
    title: 'Schools', question: '', language: 'en', template: 'empty',
    scaleMin: '0', scaleMax: '4', ratersPerCase: '3', classification: 'absolute', secondRaterNotAtInterviews: 'on',
  };
  const created = (location: string) => Number(/\/studies\/(\d+)$/.exec(location)![1]);

  it('the new-study form shows the settings with the defaults', async () => {
    const { lead } = await setUp();
    const res = await lead.agent.get('/studies/new');
    expect(res.text).toContain('<legend>Rating settings</legend>');
    expect(res.text).toMatch(/name="scaleMin" value="1"/);
    expect(res.text).toMatch(/name="scaleMax" value="5"/);
    expect(res.text).toMatch(/name="blindRating" checked/);
    expect(res.text).toMatch(/value="relative" checked/);
  });

  it('is created with the chosen settings, recorded in its audit entry (empty or from a template)', async () => {
    const { lead, services } = await setUp();
    const expected: StudySettings = { scale: { min: 0, max: 4 }, ratersPerCase: 3, blindRating: false, classification: 'absolute', secondRaterNotAtInterviews: true, viewersSeeFieldwork: false };
    for (const template of ['empty', 'bijstand']) {
      const res = await lead.agent.post('/studies').type('form').send({ _csrf: lead.csrf, ...newStudy, template });
      expect(res.status, template).toBe(303);
      const id = created(res.headers.location!);
      expect(settingsOf(services.repos.studies.findById(id)!)).toEqual(expected);
      if (template === 'empty') {
        const entry = services.repos.audit.listForStudy(id).find((a) => a.entity === 'study' && a.action === 'create')!;
        expect(JSON.parse(entry.after!).settings).toEqual(expected);
      }
    }
  });

  it('refuses settings that break a rule, keeping the input, and creates nothing', async () => {
    const { lead, services } = await setUp();
    const count = services.repos.studies.listIdsAndTitles().length;
    for (const template of ['empty', 'bijstand']) {
      const res = await lead.agent.post('/studies').type('form').send({ _csrf: lead.csrf, ...newStudy, template, scaleMin: '2', scaleMax: '1' });
      expect(res.status).toBe(422);
      expect(res.text).toContain('The highest score must be above the lowest.');
      expect(res.text).toContain('value="Schools"');
      expect(res.text).toMatch(/name="scaleMin" value="2"/);
      expect(res.text).not.toMatch(/name="blindRating" checked/);
      expect(res.text).toMatch(/name="secondRaterNotAtInterviews" checked/);
    }
    expect(services.repos.studies.listIdsAndTitles()).toHaveLength(count);
  });
});

describe('the study file export', () => {
  it('writes the saved settings', async () => {
    const { save, services, studyId, lead } = await setUp();
    expect((await save({ scaleMin: '0', scaleMax: '6', ratersPerCase: '4', blindRating: false, classification: 'absolute', secondRaterNotAtInterviews: true })).status).toBe(303);
    const expected = { scale: { min: 0, max: 6 }, ratersPerCase: 4, blindRating: false, classification: 'absolute', secondRaterNotAtInterviews: true };
    expect(services.studyFile.exporter.run(studyId, 'archive').study.settings).toEqual(expected);
    const res = await lead.agent.get(`/studies/${studyId}/export.json`);
    expect(JSON.parse(res.text).study.settings).toEqual(expected);
  });
});
