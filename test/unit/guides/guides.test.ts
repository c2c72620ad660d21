// The question bank's pure rules: grouping by theme, placing and moving questions and themes,
// the stamps that detect a change made meanwhile, code lists, and the view models' numbering.
import { describe, expect, it } from 'vitest';
import { questionSchema, splitCodes } from '../../../server/guides/guides.schemas.ts';
import { groupSections, moveSectionInOrder, moveWithinSection, placeInSection, questionStamp, roleStamp } from '../../../server/guides/guides.service.ts';
import { bankView, guideView } from '../../../server/guides/guides.view.ts';
import { parseForm } from '../../../server/http/forms.ts';

const rows = [
  { id: 1, section: 'A' },
  { id: 2, section: 'A' },
  { id: 3, section: 'B' },
  { id: 4, section: 'B' },
  { id: 5, section: 'C' },
];

describe('guides.service groupSections', () => {
  it('keeps themes in the order of their first question and questions in their own order', () => {
    const scattered = [{ id: 1, section: 'B' }, { id: 2, section: 'A' }, { id: 3, section: 'B' }];
    expect(groupSections(scattered)).toEqual([
      { section: 'B', items: [{ id: 1, section: 'B' }, { id: 3, section: 'B' }] },
      { section: 'A', items: [{ id: 2, section: 'A' }] },
    ]);
    expect(groupSections([])).toEqual([]);
  });
});

describe('guides.service placeInSection', () => {
  it('puts a new or moved question at the end of its theme', () => {
    expect(placeInSection([...rows, { id: 6, section: 'A' }], 6, 'A')).toEqual([1, 2, 6, 3, 4, 5]);
    expect(placeInSection(rows, 1, 'B')).toEqual([2, 3, 4, 1, 5]);
  });
  it('starts a new theme at the end of the bank', () => {
    expect(placeInSection(rows, 3, 'Z')).toEqual([1, 2, 4, 5, 3]);
  });
  it('brings a theme whose questions were scattered together', () => {
    expect(placeInSection([{ id: 1, section: 'A' }, { id: 2, section: 'B' }, { id: 3, section: 'A' }, { id: 4, section: 'A' }], 4, 'A')).toEqual([1, 3, 4, 2]);
  });
});

describe('guides.service moveWithinSection', () => {
  it('swaps a question with its neighbour in the same theme', () => {
    expect(moveWithinSection(rows, 2, 'up')).toEqual([2, 1, 3, 4, 5]);
    expect(moveWithinSection(rows, 3, 'down')).toEqual([1, 2, 4, 3, 5]);
  });
  it('does not cross into another theme, and says so with null', () => {
    expect(moveWithinSection(rows, 3, 'up')).toBeNull();
    expect(moveWithinSection(rows, 2, 'down')).toBeNull();
    expect(moveWithinSection(rows, 5, 'down')).toBeNull();
    expect(moveWithinSection(rows, 99, 'up')).toBeNull();
  });
});

describe('guides.service moveSectionInOrder', () => {
  it('moves a whole theme past the previous or next one', () => {
    expect(moveSectionInOrder(rows, 'B', 'up')).toEqual([3, 4, 1, 2, 5]);
    expect(moveSectionInOrder(rows, 'B', 'down')).toEqual([1, 2, 5, 3, 4]);
  });
  it('returns null at the edge or for an unknown theme', () => {
    expect(moveSectionInOrder(rows, 'A', 'up')).toBeNull();
    expect(moveSectionInOrder(rows, 'C', 'down')).toBeNull();
    expect(moveSectionInOrder(rows, 'Q', 'up')).toBeNull();
  });
});

describe('guides.service stamps', () => {
  const q = { section: 'A', text: 'Why?', roleIds: [3, 1], conditions: [{ code: '2.a', name: 'x' }, { code: '1.b', name: 'y' }] };
  it('do not depend on the order of roles and conditions, or on condition names', () => {
    expect(questionStamp(q)).toBe(questionStamp({ ...q, roleIds: [1, 3], conditions: [{ code: '1.b', name: 'other' }, { code: '2.a', name: 'x' }] }));
  });
  it('change with theme, text, roles or conditions', () => {
    const base = questionStamp(q);
    expect(questionStamp({ ...q, section: 'B' })).not.toBe(base);
    expect(questionStamp({ ...q, text: 'Why not?' })).not.toBe(base);
    expect(questionStamp({ ...q, roleIds: [1] })).not.toBe(base);
    expect(questionStamp({ ...q, conditions: [] })).not.toBe(base);
    // No ambiguity between theme and text boundaries.
    expect(questionStamp({ ...q, section: 'AB', text: 'C' })).not.toBe(questionStamp({ ...q, section: 'A', text: 'BC' }));
  });
  it('are short enough for a hidden field and stable for a role name', () => {
    expect(roleStamp({ name: 'Wethouder' })).toBe(roleStamp({ name: 'Wethouder' }));
    expect(roleStamp({ name: 'Wethouder' })).not.toBe(roleStamp({ name: 'wethouder' }));
    expect(roleStamp({ name: 'Wethouder' })).toMatch(/^[\w-]{22}$/);
  });
});

describe('guides.schemas question form', () => {
  it('splits condition codes on commas, semicolons and spaces, once each', () => {
    expect(splitCodes(' 2.a, 3.b;4.c.I  2.a ,')).toEqual(['2.a', '3.b', '4.c.I']);
    expect(splitCodes('')).toEqual([]);
  });
  it('takes one ticked role or several, and asks for at least one', () => {
    const one = parseForm(questionSchema, { text: 'Why?', roles: '4' });
    expect(one.ok && one.data.roles).toEqual([4]);
    const two = parseForm(questionSchema, { text: 'Why?', roles: ['4', '7'], conditions: '1.a' });
    expect(two.ok && two.data).toMatchObject({ roles: [4, 7], conditions: ['1.a'], section: '' });
    const none = parseForm(questionSchema, { text: 'Why?' });
    expect(!none.ok && none.errors.roles).toEqual({ key: 'guides.rolesRequired' });
    const bad = parseForm(questionSchema, { text: 'Why?', roles: 'x' });
    expect(!bad.ok && bad.errors.roles).toEqual({ key: 'guides.unknownRole' });
  });
  it('refuses a code longer than a code can be', () => {
    const res = parseForm(questionSchema, { text: 'Why?', roles: '1', conditions: 'x'.repeat(31) });
    expect(!res.ok && res.errors.conditions).toEqual({ key: 'guides.badCode' });
  });
});

describe('guides.view', () => {
  const roles = [
    { id: 1, name: 'Wethouder', questions: 2, interviews: 0 },
    { id: 2, name: 'Professional', questions: 1, interviews: 3 },
  ];
  const bank = [
    { id: 10, section: 'Open', text: 'a', roleIds: [1], conditions: [] },
    { id: 11, section: 'Open', text: 'b', roleIds: [1, 2], conditions: [{ code: '1.a', name: 'A' }] },
    { id: 12, section: '', text: 'c', roleIds: [2], conditions: [] },
  ];
  it('numbers the bank 1…n in reading order and marks the first and last of each theme', () => {
    const view = bankView(roles, bank);
    expect(view.count).toBe(3);
    expect(view.sections.map((s) => [s.section, s.first, s.last])).toEqual([['Open', true, false], ['', false, true]]);
    expect(view.sections[0]!.questions.map((q) => [q.number, q.first, q.last])).toEqual([[1, true, false], [2, false, true]]);
    expect(view.sections[0]!.questions[1]!.roles).toEqual([{ id: 1, name: 'Wethouder' }, { id: 2, name: 'Professional' }]);
    expect(view.sections[1]!.questions[0]).toMatchObject({ number: 3, first: true, last: true });
  });
  it('numbers a guide across its themes, each list starting where the last one stopped', () => {
    const guide = guideView([
      { id: 1, section: 'A', text: 'a1' },
      { id: 2, section: 'A', text: 'a2' },
      { id: 3, section: 'B', text: 'b1' },
    ]);
    expect(guide.map((s) => [s.section, s.start, s.questions.map((q) => q.number)])).toEqual([['A', 1, [1, 2]], ['B', 3, [3]]]);
    expect(guideView([])).toEqual([]);
  });
});
