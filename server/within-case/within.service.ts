// What the within-case analysis page reads: the study's analysis model (analysis.service.ts: final
// scores of ready cases only, so nothing blind is read here) and the framework for the diagram's
// level bands and condition names. Both load in a constant number of statements, whatever the
// number of cases. Writes go to analysis.service.ts setCaseAnalysis.
import { notFound } from '../lib/errors.ts';
import type { AnalysisCase, AnalysisModel, AnalysisService } from '../analysis/analysis.service.ts';
import type { Repos } from '../repos.ts';
import type { StudyRow } from '../studies/studies.repo.ts';
import type { Framework } from '../studyfile/studyfile.schema.ts';

export interface WithinCasePage {
  model: AnalysisModel;
  case: AnalysisCase;
  framework: Framework;
}

export function withinService(deps: { analysis: AnalysisService; repos: Repos }) {
  return {
    /** The model, the case (404 when the study has no case with this key) and the framework. */
    page(study: StudyRow, caseKey: string): WithinCasePage {
      const model = deps.analysis.model(study.id);
      const found = model.cases.find((c) => c.key === caseKey);
      if (!found) throw notFound();
      const framework = deps.repos.framework.load(study.id, study.framework_title, study.framework_revision).doc;
      return { model, case: found, framework };
    },
  };
}
export type WithinService = ReturnType<typeof withinService>;
