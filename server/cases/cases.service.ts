// Cases: creating and editing a case (optimistic concurrency on cases.version), declaring attribute
// types, and importing measures from CSV. Every change is written with its audit entry in one
// transaction; reads for pages fetch whole sets.
//
// A case's pseudonym and aliases are the lead's (PRODUCT.md step 10): a researcher's form has neither,
// and a change of them by anyone else is refused. No change may leave a pseudonym that gives a case
// away (one that holds a case's name, alias or key: anonymise.rules.ts pseudonymClashes).
import type { Db } from '../lib/db.ts';
import { FormRefusal, notFound } from '../lib/errors.ts';
import type { Repos } from '../repos.ts';
import { CsvSyntaxError, decodeUtf8, parseCsv } from './cases.csv.ts';
import type { AttributeType, AttributeValue, CaseFullRow, CaseRow, CaseWrite, MeasureRow, MeasureWrite } from './cases.repo.ts';
import { checkMeasureRecords, type CaseInput, type CaseLookup, type CsvProblem } from './cases.schemas.ts';
import { clashMessage, newPseudonymClashes, studyAliasesProblem, type CaseIdentity, type PseudonymClash } from '../anonymise/anonymise.rules.ts';

/** Who changes a case: a lead may set its pseudonym and aliases, anyone else may not. */
export interface CaseActor {
  id: number;
  isLead: boolean;
}

/** What the audit log keeps of a case, before and after a change. */
export interface CaseSnapshot extends CaseWrite {
  measures: MeasureWrite[];
  version: number;
}

/** A change refused for reasons shown next to the form's fields; a stale form also gets the saved case. */
export class CaseFormError extends FormRefusal {
  constructor(
    fields: FormRefusal['fields'],
    /** For a stale form: the case as it is saved now. */
    readonly current?: CaseSnapshot,
  ) {
    super(fields);
  }
}

export type MeasureImportResult = { ok: true; count: number; replaced: number } | { ok: false; problems: CsvProblem[] };

/** A case's stored aliases (a JSON array of strings). */
export function parseAliases(json: string): string[] {
  const value = JSON.parse(json) as unknown;
  return Array.isArray(value) ? value.filter((a): a is string => typeof a === 'string') : [];
}

export function parseAttributes(json: string): Record<string, AttributeValue> {
  const value = JSON.parse(json) as unknown;
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, AttributeValue>) : {};
}

/** The stored attributes with the form's values applied: a value sets, null clears, absent keeps. */
export function mergeAttributes(stored: Record<string, AttributeValue>, changes: CaseInput['attributes']): Record<string, AttributeValue> {
  const merged = { ...stored };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** Whether a stored value is of an attribute type (text ↔ string, number, boolean ↔ yes/no). */
export function fitsType(value: AttributeValue, type: AttributeType): boolean {
  return type === 'text' ? typeof value === 'string' : type === 'number' ? typeof value === 'number' : typeof value === 'boolean';
}

const aliasesOf = (aliases: readonly string[] | undefined) => (aliases?.length ? { aliases: [...aliases] } : {});

/** What the pseudonym rule (anonymise.rules.ts pseudonymClashes) knows of a stored case. */
export const identityOf = (r: Pick<CaseRow, 'key' | 'name' | 'aliases' | 'pseudonym'>): CaseIdentity => ({
  key: r.key,
  name: r.name,
  aliases: parseAliases(r.aliases),
  pseudonym: r.pseudonym,
});
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The fields a change of case `key` is refused on for the clashes it brings: a clash of the case's own
 * new pseudonym on `pseudonym`, a name, alias or key of it that another pseudonym holds on `name`,
 * `aliases` or `key`. Someone who is not a lead is not told the other case's pseudonym.
 */
function clashFields(clashes: readonly PseudonymClash[], key: string, pseudonymChanged: boolean, isLead: boolean): FormRefusal['fields'] {
  const fields: FormRefusal['fields'] = {};
  for (const clash of clashes) {
    const field = clash.key === key && pseudonymChanged ? 'pseudonym' : clash.of === key ? ({ name: 'name', alias: 'aliases', key: 'key' } as const)[clash.kind] : '_form';
    if (fields[field]) continue;
    if (field === 'pseudonym') fields[field] = clashMessage(clash, 'pseudonym');
    else fields[field] = isLead ? clashMessage(clash, 'term') : { key: 'anonymise.nameInPseudonymAskLead', params: { term: clash.term } };
  }
  return fields;
}

const measureSlot = (caseId: number, variable: string, year: number | null) => `${caseId}\u0000${variable}\u0000${year ?? ''}`;

export function casesService(deps: { db: Db; repos: Repos; now: () => Date }) {
  const { db } = deps;
  const { cases, audit } = deps.repos;

  const snapshot = (row: CaseFullRow, measures: MeasureRow[]): CaseSnapshot => ({
    key: row.key,
    name: row.name,
    pseudonym: row.pseudonym,
    group: row.grp,
    attributes: parseAttributes(row.attributes),
    selectionReason: row.selection_reason,
    // Only when there are any, so that snapshots of cases without aliases read as before aliases existed.
    ...aliasesOf(parseAliases(row.aliases)),
    measures: measures.map((m) => ({ variable: m.variable, year: m.year, value: m.value })),
    version: row.version,
  });

  /** The study's alias caps (anonymise.rules.ts) after giving the cases in `changed` (by key, a new case too) these aliases. */
  function aliasCapProblem(studyId: number, changed: ReadonlyMap<string, readonly string[]>) {
    const rows = cases.list(studyId);
    const before = rows.map((r) => parseAliases(r.aliases));
    const after = rows.map((r, i) => changed.get(r.key) ?? before[i]!);
    for (const [key, aliases] of changed) if (!rows.some((r) => r.key === key)) after.push(aliases);
    return studyAliasesProblem(before, after);
  }

  return {
    attributeTypes: (studyId: number) => cases.attributeTypes(studyId),

    /** Everything the cases list shows, in four statements whatever the number of cases. */
    listPage(studyId: number) {
      return { types: cases.attributeTypes(studyId), cases: cases.listWithCounts(studyId), raters: cases.raters(studyId) };
    },

    /** One case with its measures and raters; 404 for an unknown key. */
    casePage(studyId: number, key: string) {
      const row = cases.findByKey(studyId, key);
      if (!row) throw notFound();
      return { row, types: cases.attributeTypes(studyId), measures: cases.measuresOf(row.id), raters: cases.ratersOf(row.id) };
    },

    /**
     * Adds a case at the end of the list; refuses a key the study already has, a pseudonym or aliases
     * from anyone but a lead, and a pseudonym, name, alias or key that brings a clash.
     */
    create(studyId: number, actor: CaseActor, key: string, input: CaseInput): void {
      db.transaction(() => {
        if (cases.findByKey(studyId, key)) throw new CaseFormError({ key: { key: 'cases.keyTaken', params: { key } } });
        const pseudonym = input.pseudonym ?? null;
        const aliases = input.aliases ?? [];
        if (!actor.isLead && (pseudonym !== null || aliases.length > 0)) throw new CaseFormError({ _form: { key: 'anonymise.leadOnly' } });
        const tooMany = aliasCapProblem(studyId, new Map([[key, aliases]]));
        if (tooMany) throw new CaseFormError({ aliases: tooMany });
        const before = cases.list(studyId).map(identityOf);
        const clashes = newPseudonymClashes(before, [...before, { key, name: input.name, aliases, pseudonym }]);
        if (clashes.length) throw new CaseFormError(clashFields(clashes, key, true, actor.isLead));
        const at = deps.now().toISOString();
        const attributes = mergeAttributes({}, input.attributes);
        const id = cases.insert(
          studyId,
          { key, name: input.name, pseudonym, group: input.group, attributes, selectionReason: input.selectionReason, aliases },
          cases.nextPosition(studyId),
          at,
        );
        cases.replaceMeasures(id, input.measures);
        const after: CaseSnapshot = {
          key, name: input.name, pseudonym, group: input.group, attributes,
          selectionReason: input.selectionReason, ...aliasesOf(aliases), measures: input.measures, version: 1,
        };
        audit.record({ at, actorId: actor.id, studyId, entity: 'case', entityId: id, action: 'create', after });
      })();
    },

    /**
     * Saves the edit form if the case is still at `version` (the form's); otherwise refuses with
     * the version now saved. A pseudonym or aliases that differ from the saved ones are refused from
     * anyone but a lead (absent ones are kept), and a change that brings a clash is refused. Returns
     * the new version.
     */
    update(studyId: number, actor: CaseActor, key: string, version: number, input: CaseInput): number {
      return db.transaction(() => {
        const row = cases.findByKey(studyId, key);
        if (!row) throw notFound();
        const before = snapshot(row, cases.measuresOf(row.id));
        const stale = () => new CaseFormError({ _form: { key: 'cases.stale', params: { version: row.version } } }, before);
        if (row.version !== version) throw stale();
        const pseudonym = input.pseudonym === undefined ? row.pseudonym : input.pseudonym;
        const storedAliases = before.aliases ?? [];
        const aliases = input.aliases ?? storedAliases;
        if (!actor.isLead && (pseudonym !== row.pseudonym || !sameList(aliases, storedAliases))) throw new CaseFormError({ _form: { key: 'anonymise.leadOnly' } });
        const tooMany = input.aliases && aliasCapProblem(studyId, new Map([[key, input.aliases]]));
        if (tooMany) throw new CaseFormError({ aliases: tooMany });
        const identities = cases.list(studyId).map(identityOf);
        const changed = identities.map((c) => (c.key === key ? { key, name: input.name, aliases, pseudonym } : c));
        const clashes = newPseudonymClashes(identities, changed);
        if (clashes.length) throw new CaseFormError(clashFields(clashes, key, pseudonym !== row.pseudonym, actor.isLead));
        const at = deps.now().toISOString();
        const attributes = mergeAttributes(before.attributes, input.attributes);
        const fields = { name: input.name, pseudonym, group: input.group, attributes, selectionReason: input.selectionReason };
        if (!cases.update(row.id, version, { ...fields, aliases: input.aliases }, at)) throw stale();
        cases.replaceMeasures(row.id, input.measures);
        const after: CaseSnapshot = { key, ...fields, ...aliasesOf(aliases), measures: input.measures, version: version + 1 };
        audit.record({ at, actorId: actor.id, studyId, entity: 'case', entityId: row.id, action: 'update', before, after });
        return version + 1;
      })();
    },

    /**
     * Sets the aliases of several cases at once (the anonymisation page), each changed case with its
     * audit entry and a new version; unknown keys are refused with 404 and nothing is saved. Refused
     * (nothing saved) past the study's alias caps, on `_form`, and for an alias a pseudonym holds, on
     * the change's row: `aliases_<i>`, i its place in `changes` (the page's rows).
     */
    saveAliases(studyId: number, actorId: number, changes: readonly { key: string; aliases: readonly string[] }[]): number {
      return db.transaction(() => {
        const tooMany = aliasCapProblem(studyId, new Map(changes.map((c) => [c.key, c.aliases])));
        if (tooMany) throw new FormRefusal({ _form: tooMany });
        const identities = cases.list(studyId).map(identityOf);
        const newAliases = new Map(changes.map((c) => [c.key, c.aliases]));
        const clashes = newPseudonymClashes(identities, identities.map((c) => ({ ...c, aliases: newAliases.get(c.key) ?? c.aliases })));
        if (clashes.length) {
          const fields: FormRefusal['fields'] = {};
          for (const clash of clashes) {
            const row = changes.findIndex((c) => c.key === clash.of);
            fields[row >= 0 ? `aliases_${row}` : '_form'] ??= clashMessage(clash, 'term');
          }
          throw new FormRefusal(fields);
        }
        const at = deps.now().toISOString();
        let changed = 0;
        for (const change of changes) {
          const row = cases.findByKey(studyId, change.key);
          if (!row) throw notFound();
          const before = parseAliases(row.aliases);
          if (JSON.stringify(before) === JSON.stringify(change.aliases)) continue;
          cases.setAliases(row.id, change.aliases, at);
          audit.record({ at, actorId, studyId, entity: 'case', entityId: row.id, action: 'aliases', before: { key: row.key, aliases: before }, after: { key: row.key, aliases: change.aliases } });
          changed++;
        }
        return changed;
      })();
    },

    /** Declares an attribute for the study's cases; values cases already have must be of its type. */
    addAttributeType(studyId: number, actorId: number, key: string, type: AttributeType): void {
      db.transaction(() => {
        if (cases.attributeTypes(studyId).some((t) => t.key === key)) {
          throw new CaseFormError({ key: { key: 'cases.attrTaken', params: { key } } });
        }
        for (const c of cases.list(studyId)) {
          const value = parseAttributes(c.attributes)[key];
          if (value !== undefined && !fitsType(value, type)) {
            throw new CaseFormError({ type: { key: 'cases.attrIncompatible', params: { case: c.name, value: String(value) } } });
          }
        }
        const at = deps.now().toISOString();
        const id = cases.insertAttributeType(studyId, key, type);
        audit.record({ at, actorId, studyId, entity: 'case-attribute-type', entityId: id, action: 'create', after: { key, type } });
      })();
    },

    /**
     * Imports measures from a CSV file, all or nothing: every problem (with its line) is returned
     * and nothing is stored if there is one. A value for an existing (case, variable, year) replaces
     * it; the cases touched get a new version, so a case form opened before the import is stale.
     */
    importMeasures(studyId: number, actorId: number, fileName: string, bytes: Uint8Array): MeasureImportResult {
      const text = decodeUtf8(bytes);
      if (text === null) return { ok: false, problems: [{ line: null, key: 'cases.csv.notUtf8' }] };
      let records;
      try {
        records = parseCsv(text);
      } catch (err) {
        if (!(err instanceof CsvSyntaxError)) throw err;
        return { ok: false, problems: [{ line: err.line, key: `cases.csv.${err.reason}` }] };
      }
      return db.transaction((): MeasureImportResult => {
        const lookup: CaseLookup = { byKey: new Map(), byName: new Map() };
        const keyOf = new Map<number, string>();
        for (const c of cases.list(studyId)) {
          lookup.byKey.set(c.key, c.id);
          lookup.byName.set(c.name, [...(lookup.byName.get(c.name) ?? []), c.id]);
          keyOf.set(c.id, c.key);
        }
        const checked = checkMeasureRecords(records, lookup);
        if (!checked.ok) return checked;
        const existing = new Map(cases.measures(studyId).map((m) => [measureSlot(m.case_id, m.variable, m.year), m]));
        const replaced: { case: string; variable: string; year: number | null; value: number }[] = [];
        const at = deps.now().toISOString();
        const touched = new Set<number>();
        for (const row of checked.rows) {
          const old = existing.get(measureSlot(row.caseId, row.variable, row.year));
          if (old) replaced.push({ case: keyOf.get(row.caseId)!, variable: old.variable, year: old.year, value: old.value });
          cases.upsertMeasure(row.caseId, { variable: row.variable, year: row.year, value: row.value });
          touched.add(row.caseId);
        }
        for (const caseId of touched) cases.bumpVersion(caseId, at);
        audit.record({
          at, actorId, studyId, entity: 'case', action: 'import-measures',
          before: { replacedValues: replaced },
          after: { file: fileName, count: checked.rows.length, replaced: replaced.length, cases: [...touched].map((id) => keyOf.get(id)) },
        });
        return { ok: true, count: checked.rows.length, replaced: replaced.length };
      })();
    },
  };
}
export type CasesService = ReturnType<typeof casesService>;
