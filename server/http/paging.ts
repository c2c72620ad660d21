// Paging of long lists shown as pages (?page=N): the page's rows come from one statement with LIMIT
// and OFFSET, the links keep the list's filters.
import { z } from 'zod';

/** `?page=` as given, or 1 for anything that is not a page number. */
export const pageParam = z.coerce.number().int().min(1).max(1_000_000).catch(1);

export interface Pager {
  page: number;
  pages: number;
  total: number;
  /** The 1-based positions of the first and last row shown. */
  from: number;
  to: number;
  prev: string | null;
  next: string | null;
}

/** The address of `path` with the non-empty `params` (and the page, when it is not the first). */
export function pageHref(path: string, params: Record<string, string | number | null | undefined>, page = 1): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') query.set(k, String(v));
  if (page > 1) query.set('page', String(page));
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}

export function pager(path: string, params: Record<string, string | number | null | undefined>, page: number, size: number, total: number, shown: number): Pager {
  const pages = Math.max(1, Math.ceil(total / size));
  const from = total === 0 ? 0 : (page - 1) * size + 1;
  return {
    page,
    pages,
    total,
    from,
    to: total === 0 ? 0 : from + shown - 1,
    prev: page > 1 ? pageHref(path, params, page - 1) : null,
    next: page < pages ? pageHref(path, params, page + 1) : null,
  };
}
