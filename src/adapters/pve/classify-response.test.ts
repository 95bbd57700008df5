import { describe, expect, it } from 'vitest';
import { classifyPveResponse, pveErrorText } from './classify-response.ts';

const classify = (status: number, reason: string, body?: unknown) => classifyPveResponse({ status, reason, body, method: 'GET', path: '/x' });

describe('classifyPveResponse', () => {
  it.each([
    [401, 'Authentication failed!', 'PVE_AUTH'],
    [403, 'Permission check failed (/vms/103, VM.PowerMgmt)', 'PVE_PERMISSION'],
    [400, 'Parameter verification failed.', 'PVE_BAD_REQUEST'],
    [404, 'Not Found', 'PVE_NOT_FOUND'],
    [501, "Method 'GET /nodes/pve/foo' not implemented", 'PVE_NOT_FOUND'],
    [500, "Configuration file 'nodes/pve/qemu-server/999.conf' does not exist", 'PVE_NOT_FOUND'],
    [500, 'cluster not ready - no quorum?', 'PVE_NO_QUORUM'],
    [595, 'Connection refused', 'PVE_NODE_UNREACHABLE'],
    [596, 'tls error', 'PVE_NODE_UNREACHABLE'],
    [597, '', 'PVE_NODE_UNREACHABLE'],
    [599, 'Too many redirections', 'PVE_NODE_UNREACHABLE'],
    [500, 'VM 103 not running', 'PVE_ERROR'],
    [503, 'Service Unavailable', 'PVE_ERROR'],
  ])('maps %i %s to %s', (status, reason, code) => {
    expect(classify(status, reason).code).toBe(code);
  });

  it('keeps PVE parameter errors on a 400', () => {
    const error = classify(400, 'Parameter verification failed.', { data: null, errors: { vmid: 'invalid format\n' } });
    expect(error.details).toMatchObject({ status: 400, errors: { vmid: 'invalid format\n' } });
  });

  it('uses the reason phrase as the PVE_ERROR message, and marks only 502-504 retryable', () => {
    expect(classify(500, 'VM 103 not running')).toMatchObject({ message: 'VM 103 not running', retryable: false });
    expect(classify(503, 'Service Unavailable').retryable).toBe(true);
    expect(classify(595, 'Connection refused').retryable).toBe(true);
    expect(classify(401, 'x').retryable).toBe(false);
  });

  it('falls back to body.message when the reason phrase is only the standard text', () => {
    expect(pveErrorText({ status: 500, reason: 'Internal Server Error', body: { data: null, message: 'VM 103 not running\n' } })).toBe('VM 103 not running');
    expect(pveErrorText({ status: 500, reason: '', body: undefined })).toBe('HTTP 500');
    expect(pveErrorText({ status: 500, reason: 'specific text', body: { message: 'other' } })).toBe('specific text');
  });

  it('classifies the quorum sentence from body.message too (pve-http-server >= 5.2)', () => {
    expect(classify(500, 'Internal Server Error', { data: null, message: 'cluster not ready - no quorum?\n' }).code).toBe('PVE_NO_QUORUM');
  });
});
