// A small study whose case names are everywhere: in keys, the title, interview keys and notes,
// quotes, rationales, reconciliation notes, narratives, document titles and file names, attribute
// values, a member's email address. The anonymisation and exports tests import it and check that
// anonymised outputs hold none of the names, while the normal ones do.
import type { Services } from '../../server/services.ts';
import type { StudyFileInput } from '../../server/studyfile/studyfile.schema.ts';
import { validateStudyFile } from '../../server/studyfile/studyfile.validate.ts';

export const LEAD = 'lead@example.org';
export const A = 'a@example.org';
export const B = 'b@example.org';
export const JAN = 'jan@dordrecht.nl';
export const VIEWER = 'viewer@example.org';

/** The cases, with the aliases the tests configure (the study file has no aliases). */
export const NAMED = [
  { key: 'dordrecht', name: 'Dordrecht', aliases: ['Dordt'], group: 'tekort' },
  { key: 'zwijndrecht', name: 'Zwijndrecht', aliases: [] as string[], group: 'tekort' },
  { key: 'den-haag', name: 'Den Haag', aliases: ["'s-Gravenhage"], group: 'overschot' },
  { key: 'amstelveen', name: 'Amstelveen', aliases: [] as string[], group: 'overschot' },
  { key: 'ede', name: 'Ede', aliases: [] as string[], group: 'tekort' },
  { key: 'nijkerk', name: 'Nijkerk', aliases: [] as string[], group: 'overschot' },
];

/** Nijkerk's second rater has not submitted: the case is blind. */
export const BLIND_CASE = 'nijkerk';
export const BLIND_SECRET = 'Nog niet ingediend over Nijkerk';

const CODES = ['0', '1.a', '1.b'];

export function namedStudy(): StudyFileInput {
  const ratersOf = (key: string) => (key === 'den-haag' ? [A, JAN] : [A, B]);
  const ratings = NAMED.flatMap((c, i) =>
    CODES.flatMap((code, k) =>
      ratersOf(c.key).map((rater, r) => {
        // Dordrecht 1.a: the raters differ by one point; a lead reconciles it.
        const score = ((i + k) % 5) + 1 + (c.key === 'dordrecht' && code === '1.a' && r === 1 ? 1 : 0);
        const blind = c.key === BLIND_CASE && r === 1;
        return {
          case: c.key,
          condition: code,
          rater,
          score: Math.min(score, 5),
          rationale: blind ? BLIND_SECRET : `In ${c.name} is de poort ${score > 2 ? 'streng' : 'ruim'}${c.key === 'dordrecht' ? ', aldus Dordt' : ''}.`,
          submitted: !blind,
        };
      }),
    ),
  );
  return {
    format: 'kader.study',
    version: 1,
    study: { title: 'Bijstand in Dordrecht en omgeving', question: 'Waarom verschillen Den Haag en Ede?', language: 'nl' },
    framework: {
      title: 'Raamwerk',
      levels: [{ number: 0, name: 'Uitkomst' }, { number: 1, name: 'Beleid' }],
      conditions: [
        { code: '0', level: 0, name: 'Tekort', polarity: 'higher-is-favourable', kind: 'rated' },
        { code: '1.a', level: 1, name: 'Poortwachter', polarity: 'higher-is-favourable', kind: 'rated' },
        { code: '1.b', level: 1, name: 'Uitstroom', polarity: 'lower-is-favourable', kind: 'rated' },
      ],
      relations: [{ from: '1.a', to: '0' }, { from: '1.b', to: '0' }],
      groupings: [{ key: 'G1', name: 'Beleid', members: ['1.a', '1.b'] }],
    },
    roles: [{ name: 'Wethouder' }],
    members: [
      { email: LEAD, name: 'Lead', role: 'lead' },
      { email: A, name: 'A. Rater', role: 'researcher' },
      { email: B, name: 'B. Rater', role: 'researcher' },
      { email: JAN, name: 'Jan', role: 'researcher' },
      { email: VIEWER, name: 'Viewer', role: 'viewer' },
    ],
    cases: NAMED.map((c, i) => ({
      key: c.key,
      name: c.name,
      group: c.group,
      attributes: { regio: c.key === 'dordrecht' ? 'Drechtsteden rond Dordrecht' : 'elders', inwoners: 10_000 * (i + 1) },
      measures: { inw: 10 * (i + 1) },
      selectionReason: `Gekozen omdat ${c.name} een tekort had.`,
      raters: ratersOf(c.key),
    })),
    interviews: [
      {
        key: 'dordrecht-1', case: 'dordrecht', date: '2022-05-10', roles: ['Wethouder'], participants: 1, interviewers: [A, JAN],
        status: 'approved', notes: 'De wethouder van Dordrecht werkt samen met Zwijndrecht. Mede daardoor gaat het goed.', conditions: ['1.a'],
      },
    ],
    documents: [{ key: 'd1', case: 'den-haag', title: 'Beleidsplan Den Haag 2019', kind: 'policy', date: '2019-03-01', filename: 'den-haag-beleidsplan.pdf' }],
    evidence: [{ case: 'dordrecht', condition: '1.a', source: 'dordrecht-1', quote: 'In Dordrecht kijken we aan de poort.', locator: 'p. 3' }],
    ratings,
    reconciliations: [{ case: 'dordrecht', condition: '1.a', score: 2, note: 'Besproken: de cijfers van Dordrecht (Dordt) zijn streng.', by: LEAD }],
    caseAnalyses: [{ case: 'dordrecht', explanationDegree: 'good', narrative: 'Dordrecht is goed verklaard; vergelijk met Amstelveen.' }],
  };
}

/** Imports the study (pseudonyms generated) and stores the aliases; returns its id. */
/** Validates a study file and imports it; an invalid one fails the test with its first problems. */
export async function importStudy(services: Services, doc: StudyFileInput): Promise<number> {
  const result = validateStudyFile(doc);
  if (!result.ok) throw new Error(JSON.stringify(result.problems.slice(0, 5)));
  return (await services.studyFile.importer.run(result.doc, { owner: null, actorId: null })).studyId;
}

export async function importNamedStudy(services: Services): Promise<number> {
  const studyId = await importStudy(services, namedStudy());
  const lead = services.repos.users.findByEmail(LEAD)!.id;
  services.anonymise.saveAliases(studyId, lead, NAMED.map((c) => ({ key: c.key, aliases: c.aliases })));
  return studyId;
}

// ───────────────────────────── Names with accents, keys made of case keys ─────────────────────────────

/** Cases whose keys are no names ("oost", "swf"), one name with accents, and an alias. */
export const ACCENTED = [
  { key: 'oost', name: 'Oost-Groningen', aliases: [] as string[] },
  { key: 'swf', name: 'Súdwest-Fryslân', aliases: [] as string[] },
  { key: 'lwd', name: 'Leeuwarden', aliases: ['Ljouwert'] },
];

/**
 * What must never be in an anonymised output, folded (lower case, no accents): every key, name, alias
 * and the accent-free forms, as plain substrings; so a check of an output with these holds whatever
 * the leak check itself does.
 */
export const ACCENTED_SECRETS = ['oost', 'swf', 'lwd', 'groningen', 'sudwest', 'fryslan', 'leeuwarden', 'ljouwert'];

/** A text as the secrets are compared: lower case, accents taken off (NFD, marks dropped). */
export const folded = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * A study whose texts write the names with and without their accents, in capitals, with spaces for
 * dashes, and its keys in notes, addresses and file names; interview and document keys made of case
 * keys ("oost-1", "oost-doc-2"), evidence and rating citations that name them. With `planted`: texts
 * anonymisation cannot mend (a name inside a longer word, in a condition, grouping and measure name),
 * for the leak check to find.
 */
export function accentedStudy(options: { planted?: boolean } = {}): StudyFileInput {
  const planted = options.planted === true;
  const variants: Record<string, string[]> = {
    oost: ['Oost-Groningen', 'OOST-GRONINGEN', 'oost groningen'],
    swf: ['Sudwest-Fryslan', 'SÚDWEST-FRYSLÂN', 'sudwest fryslan'],
    lwd: ['Ljouwert', 'LEEUWARDEN', 'Leeuwarden'],
  };
  const codes = ['0', '1.a', '1.b'];
  const ratings = ACCENTED.flatMap((c, i) =>
    codes.flatMap((code, k) =>
      [A, B].map((rater, r) => ({
        case: c.key,
        condition: code,
        rater,
        score: ((i + k) % 5) + 1,
        rationale: `In ${variants[c.key]![(k + r) % 3]} is de poort ${k % 2 ? 'streng' : 'ruim'}; zie ${c.key}-1.`,
        submitted: true,
        ...(code === '1.a' && r === 0 && c.key !== 'lwd'
          ? { evidence: [c.key === 'oost' ? { source: 'oost-1', quote: 'In Oost-Groningen kijken we aan de poort.' } : { source: 'swf-plan', quote: 'Sudwest-Fryslan stuurt strak.' }] }
          : {}),
      })),
    ),
  );
  return {
    format: 'kader.study',
    version: 1,
    study: { title: 'Bijstand in Súdwest-Fryslân en Oost-Groningen', question: 'Waarom doet Ljouwert het anders dan SUDWEST FRYSLAN?', language: 'nl' },
    framework: {
      title: 'Raamwerk',
      levels: [{ number: 0, name: 'Uitkomst' }, { number: 1, name: 'Beleid' }],
      conditions: [
        { code: '0', level: 0, name: 'Tekort', polarity: 'higher-is-favourable', kind: 'rated' },
        { code: '1.a', level: 1, name: 'Poortwachter', polarity: 'higher-is-favourable', kind: 'rated' },
        { code: '1.b', level: 1, name: planted ? 'Uitstroom op zijn Leeuwardens' : 'Uitstroom', polarity: 'lower-is-favourable', kind: 'rated' },
      ],
      relations: [{ from: '1.a', to: '0' }, { from: '1.b', to: '0' }],
      groupings: [{ key: 'G1', name: planted ? 'Leeuwardense groep' : 'Beleid', members: ['1.a', '1.b'] }],
    },
    roles: [{ name: 'Wethouder' }],
    questions: [{ text: 'Hoe werkt de poort?', roles: ['Wethouder'], conditions: ['1.a'] }],
    members: [
      { email: LEAD, name: 'Lead', role: 'lead' },
      { email: A, name: 'A. Rater', role: 'researcher' },
      { email: B, name: 'B. Rater', role: 'researcher' },
      { email: 'an@sudwest-fryslan.nl', name: 'An', role: 'researcher' },
    ],
    cases: ACCENTED.map((c, i) => ({
      key: c.key,
      name: c.name,
      group: i % 2 ? 'tekort' : 'overschot',
      attributes: { regio: c.key === 'swf' ? 'Regio Súdwest Fryslân' : 'elders' },
      measures: { [planted ? 'oostindex' : 'inw']: 10 * (i + 1) },
      selectionReason: `Gekozen omdat ${c.name} een tekort had.`,
      raters: [A, B],
      aliases: c.aliases.length ? c.aliases : undefined,
    })),
    interviews: [
      {
        key: 'oost-1', case: 'oost', date: '2022-05-10', roles: ['Wethouder'], participants: 1, interviewers: [A, 'an@sudwest-fryslan.nl'], status: 'approved',
        notes: 'Gesprek in Oost-Groningen. Zie ook oost-2, het plan oost-doc-2 en /studies/1/cases/oost/report; in SÚDWEST-FRYSLÂN doen ze het anders.', conditions: ['1.a'],
      },
      { key: 'oost-2', case: 'oost', date: '2022-05-11', roles: [], participants: 2, interviewers: [B], status: 'held', notes: 'Vervolg op oost-1.', conditions: [] },
      {
        key: 'swf-1', case: 'swf', date: '2022-06-01', roles: ['Wethouder'], participants: 1, interviewers: [A], status: 'approved',
        notes: `In Sudwest-Fryslan en sudwest fryslan (Su\u0301dwest-Frysla\u0302n) werkt men samen met Ljouwert.${planted ? ' De Súdwest-Fryslânske aanpak.' : ''}`, conditions: ['1.a'],
      },
    ],
    documents: [
      { key: 'oost-doc-2', case: 'oost', title: 'Beleidsplan Oost-Groningen 2020', kind: 'policy', date: '2020-03-01', filename: 'oost-beleidsplan.pdf' },
      { key: 'swf-plan', case: 'swf', title: 'Plan SUDWEST-FRYSLAN', filename: 'sudwest_fryslan_plan.pdf' },
    ],
    evidence: [
      { case: 'oost', condition: '1.a', source: 'oost-1', quote: 'In Oost-Groningen kijken we aan de poort.' },
      { case: 'oost', condition: '1.b', source: 'oost-doc-2', locator: 'p. 4 van oost-doc-2' },
      { case: 'swf', condition: '1.a', source: 'swf-plan', quote: 'Sudwest-Fryslan stuurt strak.' },
    ],
    ratings,
    caseAnalyses: [{ case: 'oost', explanationDegree: 'good', narrative: 'Oost-Groningen lijkt op Súdwest Fryslân; zie /studies/1/cases/oost/report en oost-1.' }],
  };
}

/** Imports the accented study (pseudonyms generated, aliases from the file); returns its id. */
export const importAccentedStudy = (services: Services, options: { planted?: boolean } = {}) => importStudy(services, accentedStudy(options));
