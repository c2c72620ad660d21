// Interface texts of search, English and Dutch.
export const en = {
  'search.title': 'Search',
  'search.label': 'Search in interview notes, documents and evidence',
  'search.submit': 'Search',
  'search.hint': "Words are found with or without accents; \"two words\" finds a phrase; regel* finds words that start with regel (at most two such words). All words must occur.",
  'search.bad': "There is nothing to search for in this query. Type words, a \"phrase\" in quotation marks, or the start of a word followed by *.",
  'search.none': 'Nothing found for “{q}”.',
  'search.count': '{count} result(s) for “{q}”, best first.',
  'search.kind.interview': 'interview',
  'search.kind.document': 'document',
  'search.kind.evidence': 'evidence',
} as const;

export const nl: Record<keyof typeof en, string> = {
  'search.title': 'Zoeken',
  'search.label': 'Zoeken in gespreksverslagen, documenten en bewijsstukken',
  'search.submit': 'Zoeken',
  'search.hint': "Woorden worden gevonden met en zonder accenten; \"twee woorden\" zoekt een zinsdeel; regel* vindt woorden die met regel beginnen (hoogstens twee zulke woorden). Alle woorden moeten voorkomen.",
  'search.bad': "In deze zoekvraag staat niets om op te zoeken. Typ woorden, een \"zinsdeel\" tussen aanhalingstekens, of het begin van een woord met een * erachter.",
  'search.none': 'Niets gevonden voor “{q}”.',
  'search.count': '{count} resultaat/resultaten voor “{q}”, beste eerst.',
  'search.kind.interview': 'interview',
  'search.kind.document': 'document',
  'search.kind.evidence': 'bewijsstuk',
};
