import { describe, expect, it } from 'vitest';
import { parseRoute } from './router.ts';

describe('parseRoute', () => {
  it('maps the alert link #alert-<id> to the alerts view and the ticket link #approval-<id> to the approvals view; other hashes as before', () => {
    expect(parseRoute('#alert-3f2a-77')).toEqual({ page: 'alerts', param: '3f2a-77' });
    expect(parseRoute('#/alerts')).toEqual({ page: 'alerts', param: undefined });
    expect(parseRoute('#/guest/101')).toEqual({ page: 'guest', param: '101' });
    expect(parseRoute('')).toEqual({ page: 'overview', param: undefined });
    expect(parseRoute('#approval-5b1e0c2a-9f1d-4d7e-8a7c-3c2b1a0f9e8d')).toEqual({ page: 'approvals', param: '5b1e0c2a-9f1d-4d7e-8a7c-3c2b1a0f9e8d' });
    expect(parseRoute('#approval-"><img>')).toEqual({ page: 'approval-"><img>', param: undefined });
    expect(parseRoute('#alert-<script>')).toEqual({ page: 'alert-<script>', param: undefined });
  });
});
