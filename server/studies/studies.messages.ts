// Interface texts of a study's rating settings (the fieldset of the study form), English and Dutch.
// The study's other texts are in the shared catalogue (server/lib/messages/en.ts, nl.ts).
export const en = {
  'studies.settings.legend': 'Rating settings',
  'studies.settings.intro': 'How raters score the cases of this study. Every change is recorded in the audit log.',
  'studies.settings.scaleHint':
    'Whole numbers. The lowest score can be {minLow} to {minHigh} and the highest {maxLow} to {maxHigh}; a scale has {pointsLow} to {pointsHigh} points (for example 1 to 5). It cannot change once any rating exists.',
  'studies.settings.scaleMin': 'Lowest score',
  'studies.settings.scaleMax': 'Highest score',
  'studies.settings.ratersPerCaseHint':
    'How many raters score each case independently: {min} to {max}. A case stays blind until it has this many raters and every one of them has submitted, so raising it makes every case with fewer raters blind again (its reconciliation waits) until the new raters are assigned and submit. It cannot be set below the number of raters a case already has.',
  'studies.settings.blindRatingLabel': 'Rate blind',
  'studies.settings.blindRatingHint':
    'While on, a rater sees no other rater’s scores and a lead sees only progress until every rater of the case has submitted. Switching it off makes every submitted rating visible at once to the lead and to the other raters of the case; drafts stay private.',
  'studies.settings.classificationLegend': 'Classes (low, medium, high)',
  'studies.settings.relative': 'Relative to the other cases',
  'studies.settings.relativeHint': 'Per condition the cases are ranked by favourability: the lowest third is low, the highest third high, the rest medium.',
  'studies.settings.absolute': 'Absolute, on the scale',
  'studies.settings.absoluteHint': 'A score’s favourability on the scale decides: its lowest third is low, its highest third high (on 1–5: 1–2 low, 3 medium, 4–5 high).',
  'studies.settings.secondRaterLabel': 'Only the first rater may have attended an interview of the case',
  'studies.settings.secondRaterHint':
    'The second and later raters then work from the approved interview reports only. It cannot be switched on while a case has such a rater who attended one of its interviews.',
  'studies.settings.viewersFieldworkLabel': 'Viewers may read the fieldwork',
  'studies.settings.viewersFieldworkHint':
    'Viewers (a client, a steering committee) always read the framework, reconciled results, analyses and reports. Only with this on do they also read interview notes, documents, evidence and search. Every change is recorded in the audit log.',
  'studies.settings.wholeNumber': 'Enter a whole number, such as 5.',
  'studies.settings.scaleMinRange': 'The lowest score must be from {min} to {max}.',
  'studies.settings.scaleMaxRange': 'The highest score must be from {min} to {max}.',
  'studies.settings.scaleOrder': 'The highest score must be above the lowest.',
  'studies.settings.scaleSpan': 'A scale has at most {points} points: starting at {min}, the highest score can be at most {max}.',
  'studies.settings.scaleLocked':
    'The scale cannot change: this study already has ratings on {min}–{max} ({count} so far, drafts included), and on another scale those scores would mean something else or fall off it. It stays {min}–{max}.',
  'studies.settings.ratersRange': 'Choose {min} to {max} raters per case.',
  'studies.settings.ratersAssigned':
    'Raters per case cannot be lowered to {value}: these cases already have more raters: {cases}. Take raters off these cases under Assignment first.',
  'studies.settings.ratersAssigned.more':
    'Raters per case cannot be lowered to {value}: these cases already have more raters: {cases} and {more} more. Take raters off these cases under Assignment first.',
  'studies.settings.interviewRule':
    'This rule cannot be switched on: in these cases a rater other than the first attended an interview of the case: {cases}. Change their raters under Assignment first.',
  'studies.settings.interviewRule.more':
    'This rule cannot be switched on: in these cases a rater other than the first attended an interview of the case: {cases} and {more} more. Change their raters under Assignment first.',
  // The study navigation (server/studies/studies.nav.ts) and the header search.
  'nav.group.overview': 'Overview',
  'nav.group.framework': 'Framework',
  'nav.group.fieldwork': 'Fieldwork',
  'nav.group.rating': 'Rating',
  'nav.group.analysis': 'Analysis',
  'nav.group.study': 'Study',
  'nav.page.reports': 'Reports',
  'nav.page.settings': 'Settings',
  'nav.menu': 'Menu',
  'nav.breadcrumb': 'You are here',
  'nav.search.label': 'Search this study',
  'nav.search.submit': 'Search',
  // Lists shown in pages with filters (server/http/paging.ts, views/_pager.ejs).
  'paging.label': 'Pages of {list}',
  'paging.prev': '← Previous page',
  'paging.next': 'Next page →',
  'paging.position': 'Page {page} of {pages}',
  'list.filters': 'Filters',
  'list.show': 'Show',
  'list.clear': 'Clear the filters',
};

export const nl: Record<keyof typeof en, string> = {
  'studies.settings.legend': 'Instellingen voor het beoordelen',
  'studies.settings.intro': 'Hoe beoordelaars de casussen van dit onderzoek scoren. Elke wijziging wordt vastgelegd in het logboek.',
  'studies.settings.scaleHint':
    'Hele getallen. De laagste score kan {minLow} tot en met {minHigh} zijn en de hoogste {maxLow} tot en met {maxHigh}; een schaal heeft {pointsLow} tot en met {pointsHigh} punten (bijvoorbeeld 1 tot en met 5). Zodra er een score is, kan de schaal niet meer veranderen.',
  'studies.settings.scaleMin': 'Laagste score',
  'studies.settings.scaleMax': 'Hoogste score',
  'studies.settings.ratersPerCaseHint':
    'Hoeveel beoordelaars elke casus onafhankelijk scoren: {min} tot en met {max}. Een casus blijft blind tot hij zoveel beoordelaars heeft en die allemaal hebben ingediend; een hoger aantal maakt elke casus met minder beoordelaars dus weer blind (de afstemming wacht) tot de nieuwe beoordelaars zijn toegewezen en hebben ingediend. Niet lager dan het aantal beoordelaars dat een casus al heeft.',
  'studies.settings.blindRatingLabel': 'Blind beoordelen',
  'studies.settings.blindRatingHint':
    'Zolang dit aan staat, ziet een beoordelaar geen scores van andere beoordelaars en ziet een projectleider alleen de voortgang, tot alle beoordelaars van de casus hebben ingediend. Zet je dit uit, dan is elke ingediende score meteen zichtbaar voor de projectleider en de andere beoordelaars van de casus; concepten blijven privé.',
  'studies.settings.classificationLegend': 'Klassen (laag, midden, hoog)',
  'studies.settings.relative': 'Ten opzichte van de andere casussen',
  'studies.settings.relativeHint': 'Per conditie worden de casussen gerangschikt op gunstigheid: het laagste derde is laag, het hoogste derde hoog, de rest midden.',
  'studies.settings.absolute': 'Absoluut, op de schaal',
  'studies.settings.absoluteHint': 'De gunstigheid van een score op de schaal beslist: het laagste derde van de schaal is laag, het hoogste derde hoog (op 1–5: 1–2 laag, 3 midden, 4–5 hoog).',
  'studies.settings.secondRaterLabel': 'Alleen de eerste beoordelaar mag bij een interview van de casus zijn geweest',
  'studies.settings.secondRaterHint':
    'De tweede en volgende beoordelaars werken dan alleen vanuit de goedgekeurde gespreksverslagen. Dit kan niet aan zolang een casus zo’n beoordelaar heeft die bij een van haar interviews was.',
  'studies.settings.viewersFieldworkLabel': 'Meelezers mogen het veldwerk lezen',
  'studies.settings.viewersFieldworkHint':
    'Meelezers (een opdrachtgever, een begeleidingscommissie) lezen altijd het raamwerk, de afgestemde resultaten, analyses en rapporten. Alleen als dit aan staat lezen ze ook interviewverslagen, documenten, bewijsstukken en de zoekfunctie. Elke wijziging komt in het auditlog.',
  'studies.settings.wholeNumber': 'Vul een heel getal in, zoals 5.',
  'studies.settings.scaleMinRange': 'De laagste score moet {min} tot en met {max} zijn.',
  'studies.settings.scaleMaxRange': 'De hoogste score moet {min} tot en met {max} zijn.',
  'studies.settings.scaleOrder': 'De hoogste score moet boven de laagste liggen.',
  'studies.settings.scaleSpan': 'Een schaal heeft hoogstens {points} punten: vanaf {min} kan de hoogste score hoogstens {max} zijn.',
  'studies.settings.scaleLocked':
    'De schaal kan niet veranderen: dit onderzoek heeft al scores op {min}–{max} (nu {count}, concepten meegeteld), en op een andere schaal zouden die iets anders betekenen of erbuiten vallen. Hij blijft {min}–{max}.',
  'studies.settings.ratersRange': 'Kies {min} tot en met {max} beoordelaars per casus.',
  'studies.settings.ratersAssigned':
    'Het aantal beoordelaars per casus kan niet omlaag naar {value}: deze casussen hebben er al meer: {cases}. Haal eerst beoordelaars van deze casussen af onder Toewijzing.',
  'studies.settings.ratersAssigned.more':
    'Het aantal beoordelaars per casus kan niet omlaag naar {value}: deze casussen hebben er al meer: {cases} en nog {more}. Haal eerst beoordelaars van deze casussen af onder Toewijzing.',
  'studies.settings.interviewRule':
    'Deze regel kan niet aan: in deze casussen was een andere beoordelaar dan de eerste bij een interview van de casus: {cases}. Wijzig eerst hun beoordelaars onder Toewijzing.',
  'studies.settings.interviewRule.more':
    'Deze regel kan niet aan: in deze casussen was een andere beoordelaar dan de eerste bij een interview van de casus: {cases} en nog {more}. Wijzig eerst hun beoordelaars onder Toewijzing.',
  'nav.group.overview': 'Overzicht',
  'nav.group.framework': 'Raamwerk',
  'nav.group.fieldwork': 'Veldwerk',
  'nav.group.rating': 'Beoordelen',
  'nav.group.analysis': 'Analyse',
  'nav.group.study': 'Onderzoek',
  'nav.page.reports': 'Rapporten',
  'nav.page.settings': 'Instellingen',
  'nav.menu': 'Menu',
  'nav.breadcrumb': 'U bent hier',
  'nav.search.label': 'Zoeken in dit onderzoek',
  'nav.search.submit': 'Zoeken',
  'paging.label': 'Pagina’s van {list}',
  'paging.prev': '← Vorige pagina',
  'paging.next': 'Volgende pagina →',
  'paging.position': 'Pagina {page} van {pages}',
  'list.filters': 'Filters',
  'list.show': 'Tonen',
  'list.clear': 'Filters wissen',
};
