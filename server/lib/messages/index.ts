// All interface texts: the shared catalogue (en.ts, nl.ts) and one catalogue per feature that
// keeps its own (server/<feature>/<feature>.messages.ts). The compiler checks that Dutch has every
// English key.
import { en as coreEn } from './en.ts';
import { nl as coreNl } from './nl.ts';
import * as cases from '../../cases/cases.messages.ts';
import * as guides from '../../guides/guides.messages.ts';
import * as interviews from '../../interviews/interviews.messages.ts';
import * as documents from '../../documents/documents.messages.ts';
import * as search from '../../search/search.messages.ts';
import * as evidence from '../../evidence/evidence.messages.ts';
import * as assignment from '../../assignment/assignment.messages.ts';
import * as ratings from '../../ratings/ratings.messages.ts';
import * as reconcile from '../../reconcile/reconcile.messages.ts';
import * as agreement from '../../agreement/agreement.messages.ts';
import * as studies from '../../studies/studies.messages.ts';
import * as analysis from '../../analysis/analysis.messages.ts';
import * as crossCase from '../../cross-case/cross-case.messages.ts';
import * as reduction from '../../reduction/reduction.messages.ts';
import * as reports from '../../reports/reports.messages.ts';
import * as anonymise from '../../anonymise/anonymise.messages.ts';
import * as exportsMessages from '../../exports/exports.messages.ts';
import * as within from '../../within-case/within.messages.ts';
import * as demo from '../../demo/demo.messages.ts';
import * as dashboard from '../../studies/dashboard.messages.ts';
import * as paging from '../paging.messages.ts';
import * as audit from '../../audit/audit.messages.ts';

export const en = { ...coreEn, ...cases.en, ...guides.en, ...interviews.en, ...documents.en, ...search.en, ...evidence.en, ...assignment.en, ...ratings.en, ...reconcile.en, ...agreement.en, ...studies.en, ...analysis.en, ...crossCase.en, ...reduction.en, ...within.en, ...anonymise.en, ...exportsMessages.en, ...reports.en, ...demo.en, ...dashboard.en, ...paging.en, ...audit.en };
export const nl: Record<keyof typeof en, string> = { ...coreNl, ...cases.nl, ...guides.nl, ...interviews.nl, ...documents.nl, ...search.nl, ...evidence.nl, ...assignment.nl, ...ratings.nl, ...reconcile.nl, ...agreement.nl, ...studies.nl, ...analysis.nl, ...crossCase.nl, ...reduction.nl, ...within.nl, ...anonymise.nl, ...exportsMessages.nl, ...reports.nl, ...demo.nl, ...dashboard.nl, ...paging.nl, ...audit.nl };
