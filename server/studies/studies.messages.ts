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
  // Team set-up: adding people by email, with or without an account (issue 14.10).
  'members.addHintNew': 'The email address of the person. Someone with an account becomes a member at once.',
  'members.addHintAdmin': 'Without an account yet? Give their name too: the account is created and you get a one-time link to pass on.',
  'members.addHintLead': 'Without an account yet? Give their name too: the request goes to the site administrators, who create the account and add it to this study.',
  'members.nameField': 'Name (only for someone without an account)',
  'members.nameToCreate': '{email} has no account yet. Give the person’s name and the account is created with this step.',
  'members.nameToRequest': '{email} has no account yet. Give the person’s name and the request goes to the site administrators.',
  'members.alreadyRequested': 'An account for {email} has been requested already; an administrator decides on it.',
  'members.createdLink': 'The account of {email} is created and added to the study. Pass this one-time link on; it is shown only now and works for 7 days: {link}',
  'members.requested': 'There is no account for {email} yet: the request is with the site administrators. It is listed below until they decide.',
  'members.pendingTitle': 'Waiting for an administrator',
  'members.pendingIntro': 'Accounts requested for this study. An administrator creates them (the person then joins with the role asked for) or dismisses the request.',
  'members.requestedBy': 'Requested by',
  'members.requestedOn': 'Requested on',
  'requests.title': 'Account requests from leads',
  'requests.intro': 'A lead added someone who has no account. Create and add makes the account, adds it to the study with the role asked for and shows a one-time link to pass on.',
  'requests.study': 'Study',
  'requests.create': 'Create and add',
  'requests.dismiss': 'Dismiss',
  'requests.createFor': 'Create an account for {email} and add it to {study}',
  'requests.dismissFor': 'Dismiss the request for {email}',
  'requests.created': 'The account of {email} is created and added to {study}. Pass this one-time link on; it is shown only now and works for 7 days: {link}',
  'requests.addedExisting': '{email} had an account already and is now a member of {study}.',
  'requests.dismissed': 'The request for {email} is dismissed.',
  'requests.gone': 'This request has been decided already.',
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
  'members.addHintNew': 'Het e-mailadres van de persoon. Wie een account heeft, wordt meteen lid.',
  'members.addHintAdmin': 'Nog geen account? Geef ook de naam: het account wordt aangemaakt en je krijgt een eenmalige link om door te geven.',
  'members.addHintLead': 'Nog geen account? Geef ook de naam: het verzoek gaat naar de beheerders, die het account aanmaken en aan dit onderzoek toevoegen.',
  'members.nameField': 'Naam (alleen voor wie nog geen account heeft)',
  'members.nameToCreate': '{email} heeft nog geen account. Geef de naam van de persoon, dan wordt het account met deze stap aangemaakt.',
  'members.nameToRequest': '{email} heeft nog geen account. Geef de naam van de persoon, dan gaat het verzoek naar de beheerders.',
  'members.alreadyRequested': 'Voor {email} is al een account aangevraagd; een beheerder beslist erover.',
  'members.createdLink': 'Het account van {email} is aangemaakt en aan het onderzoek toegevoegd. Geef deze eenmalige link door; hij is alleen nu te zien en werkt 7 dagen: {link}',
  'members.requested': 'Voor {email} is er nog geen account: het verzoek ligt bij de beheerders. Het staat hieronder tot zij beslissen.',
  'members.pendingTitle': 'Wacht op een beheerder',
  'members.pendingIntro': 'Voor dit onderzoek aangevraagde accounts. Een beheerder maakt ze aan (de persoon wordt dan lid met de gevraagde rol) of wijst het verzoek af.',
  'members.requestedBy': 'Aangevraagd door',
  'members.requestedOn': 'Aangevraagd op',
  'requests.title': 'Accountaanvragen van projectleiders',
  'requests.intro': 'Een projectleider voegde iemand toe die geen account heeft. Aanmaken en toevoegen maakt het account, voegt het met de gevraagde rol aan het onderzoek toe en toont een eenmalige link om door te geven.',
  'requests.study': 'Onderzoek',
  'requests.create': 'Aanmaken en toevoegen',
  'requests.dismiss': 'Afwijzen',
  'requests.createFor': 'Een account voor {email} aanmaken en aan {study} toevoegen',
  'requests.dismissFor': 'Het verzoek voor {email} afwijzen',
  'requests.created': 'Het account van {email} is aangemaakt en aan {study} toegevoegd. Geef deze eenmalige link door; hij is alleen nu te zien en werkt 7 dagen: {link}',
  'requests.addedExisting': '{email} had al een account en is nu lid van {study}.',
  'requests.dismissed': 'Het verzoek voor {email} is afgewezen.',
  'requests.gone': 'Over dit verzoek is al beslist.',
};
