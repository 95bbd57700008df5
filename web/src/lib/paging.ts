/**
 * "Show more" paging of a list the user can search, filter and sort. The number shown belongs to
 * the query it was raised for: a new query (or a return to an earlier one) starts again at one
 * page, while live updates of the same query (new guests, changed figures) keep the raised count.
 * Pure: the guest table keeps a Paging in state and adjusts it during render.
 */
export interface Paging {
  /** The query the limit was raised under: any string that changes whenever search, filters or sort do. */
  readonly query: string;
  /** Items shown: a whole number of pages. */
  readonly limit: number;
}

/** The first page under `query`. */
export function firstPage(query: string, pageSize: number): Paging {
  return { query, limit: pageSize };
}

/**
 * The paging that applies under `query`: `paging` itself (the same object, so a caller can tell
 * nothing changed) while the query is the one it was raised under, else the first page.
 */
export function pagingFor(paging: Paging, query: string, pageSize: number): Paging {
  return paging.query === query ? paging : firstPage(query, pageSize);
}

/** The paging after "Show more" under `query`: one page more than `pagingFor` shows now. */
export function showMore(paging: Paging, query: string, pageSize: number): Paging {
  return { query, limit: pagingFor(paging, query, pageSize).limit + pageSize };
}
