// Evidence: a quote or locator from an interview or document of a case, linked to conditions.
// Written with its audit entry in one transaction.
import type { Db } from '../lib/db.ts';
import { FormRefusal, RuleError } from '../lib/errors.ts';
import type { Repos } from '../repos.ts';

export interface EvidenceInput {
  /** 'interview:KEY' or 'document:KEY' */
  source: string;
  quote: string;
  locator: string;
  conditions: string[];
}

export function evidenceService(deps: { db: Db; repos: Repos; now: () => Date }) {
  const { db, repos } = deps;

  return {
    add(studyId: number, input: EvidenceInput, actorId: number | null): { caseKey: string } {
      return db.transaction(() => {
        const [kind, key] = [input.source.slice(0, input.source.indexOf(':')), input.source.slice(input.source.indexOf(':') + 1)];
        const interview = kind === 'interview' ? repos.interviews.findByKey(studyId, key) : undefined;
        const document = kind === 'document' ? repos.documents.findByKey(studyId, key) : undefined;
        const fields: FormRefusal['fields'] = {};
        if (!interview && !document) fields.source = { key: 'evidence.unknownSource' };
        if (!input.quote && !input.locator) fields.quote = { key: 'evidence.quoteOrLocator' };
        const study = repos.studies.findById(studyId)!;
        const ids = repos.framework.load(studyId, '', study.framework_revision).conditionIds;
        const unknown = input.conditions.filter((c) => !ids.has(c));
        if (input.conditions.length === 0) fields.conditions = { key: 'evidence.conditionRequired' };
        else if (unknown.length) fields.conditions = { key: 'interviews.unknownConditions', params: { codes: unknown.join(', ') } };
        if (Object.keys(fields).length) throw new FormRefusal(fields);
        const caseId = interview?.case_id ?? document!.case_id;
        const at = deps.now().toISOString();
        const conditionIds = [...new Set(input.conditions)].map((c) => ids.get(c)!);
        const id = repos.evidence.insert(
          { studyId, caseId, interviewId: interview?.id ?? null, documentId: document?.id ?? null, quote: input.quote, locator: input.locator, createdBy: actorId, now: at },
          conditionIds,
        );
        repos.audit.record({ at, actorId, studyId, entity: 'evidence', entityId: id, action: 'create', after: input });
        return { caseKey: interview?.case_key ?? document!.case_key };
      })();
    },

    remove(studyId: number, evidenceId: number, actorId: number): void {
      db.transaction(() => {
        const before = repos.evidence.findById(studyId, evidenceId);
        if (!before) throw new RuleError('error.notFound');
        // Part of a locked rating (a trigger keeps it so whoever writes); refused here with a reason.
        const cited = repos.evidence.citations(evidenceId);
        if (cited.length) {
          if (cited.some((c) => c.open === 0)) throw new RuleError('evidence.citedBlind', { count: cited.length });
          throw new RuleError('evidence.cited', { ratings: cited.map((c) => `${c.rater} (${c.code})`).join(', ') });
        }
        repos.evidence.remove(evidenceId);
        repos.audit.record({ at: deps.now().toISOString(), actorId, studyId, entity: 'evidence', entityId: evidenceId, action: 'delete', before });
      })();
    },
  };
}
export type EvidenceService = ReturnType<typeof evidenceService>;
