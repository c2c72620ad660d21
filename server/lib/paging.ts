// Paging of long lists (evidence, the reduction log, the audit log): which page a request asks for,
// the range it shows ("51–75 of 812") and the links to other pages, each keeping the list's filters.
// No Express and no SQL here: a repository counts, the route asks for one page of `size` rows.
import { z } from 'zod';
import type { Language, Translate } from './i18n.ts';

/** A page of a list of `total` rows, `size` a page: `page` is 1-based and clamped to the last page. */
export interface Paging {
  page: number;
  size: number;
  total: number;
  pages: number;
  /** Rows to skip (SQL OFFSET). */
  offset: number;
  /** 1-based positions of the first and last row shown (0 and 0 for an empty list). */
  from: number;
  to: number;
}

/** The page number a query string asks for (`?page=3`); anything else is page 1. */
export function requestedPage(raw: unknown): number {
  const n = typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : 1;
  return n >= 1 ? n : 1;
}

/** `?page=` in a query schema: the page number, or 1 for anything that is not one. */
export const pageParam = z.coerce.number().int().min(1).max(1_000_000).catch(1);

export function paging(requested: number, size: number, total: number): Paging {
  const pages = Math.max(1, Math.ceil(total / size));
  const page = Math.min(Math.max(1, requested), pages);
  const offset = (page - 1) * size;
  return { page, size, total, pages, offset, from: total ? offset + 1 : 0, to: Math.min(offset + size, total) };
}

/** A query string of the non-empty values, in the given order (`?case=x&q=y`), or '' for none. */
export function queryString(values: Record<string, string | number | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export interface PageLink {
  /** The page number, or null for a gap ("…") between shown page numbers. */
  page: number | null;
  href: string;
  current: boolean;
}

export interface Pager {
  /** "51–75 of 812" */
  range: string;
  prev: string | null;
  next: string | null;
  /** The first and last page, and two either side of the current one, with gaps between. */
  links: PageLink[];
}

/** The pager of a list; `href(page)` makes the address of a page with the list's filters. */
export function pager(p: Paging, href: (page: number) => string, range: string): Pager {
  const shown = [...new Set([1, p.page - 2, p.page - 1, p.page, p.page + 1, p.page + 2, p.pages])]
    .filter((n) => n >= 1 && n <= p.pages)
    .sort((a, b) => a - b);
  const links: PageLink[] = [];
  shown.forEach((n, i) => {
    if (i > 0 && n - shown[i - 1]! > 1) links.push({ page: null, href: '', current: false });
    links.push({ page: n, href: href(n), current: n === p.page });
  });
  return {
    range,
    prev: p.page > 1 ? href(p.page - 1) : null,
    next: p.page < p.pages ? href(p.page + 1) : null,
    links: p.pages > 1 ? links : [],
  };
}

/** "51–75 of 812", with the numbers as the language writes them. */
export function rangeText(p: Paging, t: Translate, language: Language): string {
  const number = (n: number) => n.toLocaleString(language === 'nl' ? 'nl-NL' : 'en-GB');
  return t('paging.range', { from: number(p.from), to: number(p.to), total: number(p.total) });
}

/** The pager of a list at `path` filtered by `params`; the first page's address has no ?page=. */
export function listPager(p: Paging, path: string, params: Record<string, string | number | null | undefined>, range: string): Pager {
  return pager(p, (page) => `${path}${queryString({ ...params, page: page > 1 ? page : null })}`, range);
}
