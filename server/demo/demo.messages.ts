// Interface texts of the demo study's button and its answers, English and Dutch. The demo's content is Dutch.
export const en = {
  'demo.intro': 'New to Kader? Load a demo study with fifteen fictional municipalities, interviews, documents, two raters’ scores, reconciliations and analyses, and look around. It adds four demo accounts that share a published password: for trying Kader out, not for real work.',
  'demo.load': 'Load the demo study',
  'demo.loaded': 'The demo study is loaded. Its accounts {emails} all have the password “{password}”; sign in as {lead} to work as its lead.',
  'demo.notFirstRun': 'The demo study is loaded only on a site without studies (its accounts have a published password). An operator can still load it with the command line: kader demo.',
  'demo.exists': 'The demo study was loaded before: the demo accounts ({emails}) exist already. Nothing was changed.',
};

export const nl: Record<keyof typeof en, string> = {
  'demo.intro': 'Nieuw in Kader? Laad een demo-onderzoek met vijftien fictieve gemeenten, gesprekken, documenten, scores van twee beoordelaars, afstemmingen en analyses, en kijk rond. Er komen vier demo-accounts bij met een gepubliceerd wachtwoord: om Kader uit te proberen, niet voor echt werk.',
  'demo.load': 'Demo-onderzoek laden',
  'demo.loaded': 'Het demo-onderzoek is geladen. De accounts {emails} hebben allemaal het wachtwoord “{password}”; log in als {lead} om als projectleider te werken.',
  'demo.notFirstRun': 'Het demo-onderzoek wordt alleen geladen op een site zonder onderzoeken (de accounts hebben een gepubliceerd wachtwoord). Een beheerder kan het nog laden via de opdrachtregel: kader demo.',
  'demo.exists': 'Het demo-onderzoek is al eerder geladen: de demo-accounts ({emails}) bestaan al. Er is niets gewijzigd.',
};
