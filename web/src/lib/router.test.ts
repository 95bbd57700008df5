import { describe, expect, it } from 'vitest';
import { parseRoute } from './router.ts';

describe('parseRoute', () => {
  it('maps the alert notification link #alert-<id> to the alerts view; other hashes as before', () => {
    expect(parseRoute('#alert-3f2a-77')).toEqual({ page: 'alerts', param: '3f2a-77' });
    expect(parseRoute('#/alerts')).toEqual({ page: 'alerts', param: undefined });
    expect(parseRoute('#/guest/101')).toEqual({ page: 'guest', param: '101' });
    expect(parseRoute('')).toEqual({ page: 'overview', param: undefined });
    expect(parseRoute('#alert-<script>')).toEqual({ page: 'alert-<script>', param: undefined });
  });
});
