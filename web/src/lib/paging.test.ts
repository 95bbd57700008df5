import { describe, expect, it } from 'vitest';
import { firstPage, pagingFor, showMore } from './paging.ts';

describe('paging', () => {
  it('adds one page per "Show more" while the query stays the same', () => {
    let paging = firstPage('all', 50);
    paging = showMore(paging, 'all', 50);
    paging = showMore(paging, 'all', 50);
    expect(pagingFor(paging, 'all', 50).limit).toBe(150);
  });

  it('keeps the same object while the query is unchanged (live updates do not reset the count)', () => {
    const paging = showMore(firstPage('all', 50), 'all', 50);
    expect(pagingFor(paging, 'all', 50)).toBe(paging);
  });

  it('starts again at one page when the search, a filter or the sort changes', () => {
    const raised = showMore(firstPage('search=', 50), 'search=', 50);
    expect(pagingFor(raised, 'search=vm', 50)).toEqual({ query: 'search=vm', limit: 50 });
  });

  it('does not bring back a raised count when the query returns to an earlier one', () => {
    let paging = showMore(firstPage('search=', 50), 'search=', 50);
    paging = pagingFor(paging, 'search=v', 50);
    paging = pagingFor(paging, 'search=', 50);
    expect(paging.limit).toBe(50);
  });

  it('"Show more" right after a query change shows two pages, not the old count plus one', () => {
    const raised = showMore(showMore(firstPage('a', 50), 'a', 50), 'a', 50);
    expect(showMore(raised, 'b', 50)).toEqual({ query: 'b', limit: 100 });
  });
});
