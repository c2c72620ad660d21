// Interface texts of paged, filtered lists (server/lib/paging.ts, views/_pager.ejs), English and Dutch.
export const en = {
  'paging.range': '{from}–{to} of {total}',
  'paging.nav': 'Pages',
  'paging.previous': 'Previous',
  'paging.next': 'Next',
  'paging.page': 'Page {page}',
  'paging.current': 'Page {page}, this page',
  'paging.filter': 'Show',
  'paging.clear': 'Clear filters',
  'paging.all': 'All',
  'paging.noMatch': 'Nothing matches these filters.',
  'paging.filters': 'Filters',
} as const;

export const nl: Record<keyof typeof en, string> = {
  'paging.range': '{from}–{to} van {total}',
  'paging.nav': 'Pagina’s',
  'paging.previous': 'Vorige',
  'paging.next': 'Volgende',
  'paging.page': 'Pagina {page}',
  'paging.current': 'Pagina {page}, deze pagina',
  'paging.filter': 'Tonen',
  'paging.clear': 'Filters wissen',
  'paging.all': 'Alle',
  'paging.noMatch': 'Niets voldoet aan deze filters.',
  'paging.filters': 'Filters',
};
