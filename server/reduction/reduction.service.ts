// What the complexity-reduction page reads: the analysis model (distinguishing power, the active
// decisions and the whole log) and the framework (every condition, dropped ones too, with its
// groupings), in a constant number of statements. Decisions are written by analysis.service.ts
// (decideReduction, revertReduction), which audits them.
import type { AnalysisModel, AnalysisService } from '../analysis/analysis.service.ts';
import type { Repos } from '../repos.ts';
import type { StudyRow } from '../studies/studies.repo.ts';
import type { Framework } from '../studyfile/studyfile.schema.ts';

export interface ReductionPage {
  model: AnalysisModel;
  framework: Framework;
}

export function reductionService(deps: { analysis: AnalysisService; repos: Repos }) {
  return {
    page(study: StudyRow): ReductionPage {
      const model = deps.analysis.model(study.id);
      const framework = deps.repos.framework.load(study.id, study.framework_title, study.framework_revision).doc;
      return { model, framework };
    },
  };
}
export type ReductionService = ReturnType<typeof reductionService>;
