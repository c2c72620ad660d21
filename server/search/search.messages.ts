// Interface texts of search, English and Dutch.
export const en = {
  'search.title': 'Search',
  'search.label': 'Search in interview notes, documents and evidence',
  'search.submit': 'Search',
  'search.hint': 'Words are found in any form of accents; "two words" finds a phrase, regel* finds words that start with regel, OR and NOT combine.',
  'search.none': 'Nothing found for “{q}”.',
  'search.count': '{count} result(s) for “{q}”, best first.',
  'search.bad': 'Kader could not read this search. Check quotation marks and brackets, or search for plain words.',
  'search.kind.interview': 'interview',
  'search.kind.document': 'document',
  'search.kind.evidence': 'evidence',
} as const;

export const nl: Record<keyof typeof en, string> = {
  'search.title': 'Zoeken',
  'search.label': 'Zoeken in gespreksverslagen, documenten en bewijsstukken',
  'search.submit': 'Zoeken',
  'search.hint': 'Woorden worden gevonden met en zonder accenten; "twee woorden" zoekt een zinsdeel, regel* vindt woorden die met regel beginnen, OR en NOT combineren.',
  'search.none': 'Niets gevonden voor “{q}”.',
  'search.count': '{count} resultaat/resultaten voor “{q}”, beste eerst.',
  'search.bad': 'Kader kon deze zoekvraag niet lezen. Controleer aanhalingstekens en haakjes, of zoek op losse woorden.',
  'search.kind.interview': 'interview',
  'search.kind.document': 'document',
  'search.kind.evidence': 'bewijsstuk',
};
