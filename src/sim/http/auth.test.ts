import { describe, expect, it } from 'vitest';
import { AuthService } from './auth.ts';

function service(clock: { now: number }): AuthService {
  return new AuthService({
    username: 'root@pam',
    password: 'secret',
    clock: () => clock.now,
    tokens: [{ id: 'jarvis@pve!monitor', secret: '11111111-2222-4333-8444-555555555555', privileges: 'all' }],
  });
}

describe('AuthService', () => {
  it('keeps a ticket valid for two hours (plus skew) and rejects it after', () => {
    const clock = { now: Date.UTC(2026, 0, 1) };
    const auth = service(clock);
    const ticket = auth.issueTicket('root@pam');
    clock.now += 3600_000;
    expect(auth.verifyTicket(ticket)).toBe('root@pam');
    clock.now += 3600_000 + 6 * 60_000;
    expect(auth.verifyTicket(ticket)).toBeUndefined();
  });

  it('binds the CSRF token to the user', () => {
    const auth = service({ now: Date.UTC(2026, 0, 1) });
    const csrf = auth.csrfToken('root@pam');
    expect(auth.verifyCsrf('root@pam', csrf)).toBe(true);
    expect(auth.verifyCsrf('other@pve', csrf)).toBe(false);
    expect(auth.verifyCsrf('root@pam', undefined)).toBe(false);
  });

  it('parses the token header with = or space and splits the secret at the last =', () => {
    const auth = service({ now: 0 });
    const ok = auth.authenticate('PVEAPIToken=jarvis@pve!monitor=11111111-2222-4333-8444-555555555555', undefined);
    expect(ok).toMatchObject({ ok: true, identity: { userid: 'jarvis@pve', tokenName: 'monitor', full: 'jarvis@pve!monitor', viaTicket: false } });
    expect(auth.authenticate('PVEAPIToken jarvis@pve!monitor=11111111-2222-4333-8444-555555555555', undefined).ok).toBe(true);
    expect(auth.authenticate('PVEAPIToken=jarvis@pve!monitor=wrong', undefined)).toEqual({ ok: false, message: 'Authentication failed!' });
    expect(auth.authenticate(undefined, undefined)).toEqual({ ok: false, message: 'No ticket' });
  });

  it('logs in with the password or a valid ticket of the same user, and nothing else', () => {
    const auth = service({ now: Date.UTC(2026, 0, 1) });
    expect(auth.login('root@pam', 'secret', undefined)).toBe('root@pam');
    expect(auth.login('root', 'secret', 'pam')).toBe('root@pam');
    expect(auth.login('root@pam', auth.issueTicket('root@pam'), undefined)).toBe('root@pam');
    expect(auth.login('root@pam', 'wrong', undefined)).toBeUndefined();
    expect(auth.login('admin@pve', 'secret', undefined)).toBeUndefined();
  });
});
