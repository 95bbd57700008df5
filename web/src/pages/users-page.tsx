import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { z } from 'zod';
import { UsersListSchema, type Role, type UsersList } from '../../../src/protocol/index.ts';
import { Section } from '../components/section.tsx';
import { apiRequest } from '../lib/api.ts';
import { formatClock } from '../lib/format.ts';

const Ok = z.object({}).passthrough();
const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];

/** The signed-in user's own password change (any role): other sessions of the user end. */
export function OwnPassword({ userName }: { userName: string }) {
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<string | undefined>(undefined);
  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    const result = await apiRequest(`/api/users/${encodeURIComponent(userName)}/password`, Ok, { body: { password } });
    setMessage(result.ok ? '✔ Password changed: your other sessions are signed out.' : `✖ ${result.error.message}`);
    if (result.ok) setPassword('');
  }
  return (
    <form className="inline-form" onSubmit={(event) => void submit(event)} data-testid="own-password">
      <label>
        New password for {userName}{' '}
        <input type="password" autoComplete="new-password" minLength={8} required value={password} onChange={(event) => setPassword(event.target.value)} />
      </label>
      <button type="submit">Change my password</button>
      {message ? <span role="status">{message}</span> : null}
    </form>
  );
}

/**
 * `#/users` (admin): users with their role, add a user, change a password (ends that user's
 * sessions elsewhere), remove a user; sessions listed (never their secrets) and revocable.
 * Viewers and operators get only their own password change.
 */
export function UsersPage({ role, userName }: { role: Role | undefined; userName: string | undefined }) {
  const [list, setList] = useState<UsersList | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [form, setForm] = useState({ name: '', role: 'viewer' as Role, password: '' });
  const [passwords, setPasswords] = useState<Record<string, string>>({});
  const isAdmin = role === 'admin';

  const load = useCallback(async () => {
    if (!isAdmin) return;
    const result = await apiRequest('/api/users', UsersListSchema);
    if (result.ok) {
      setList(result.value);
      setError(undefined);
    } else setError(result.error.message);
  }, [isAdmin]);
  useEffect(() => void load(), [load]);

  async function act(promise: Promise<{ ok: boolean; error?: { message: string } }>, done: string): Promise<void> {
    const result = await promise;
    // the list is re-read before the message shows, so the message never describes a stale list
    await load();
    setMessage(result.ok ? `✔ ${done}` : `✖ ${result.error?.message ?? 'failed'}`);
  }

  async function add(event: FormEvent): Promise<void> {
    event.preventDefault();
    await act(apiRequest('/api/users', Ok, { body: form }), `User ${form.name} added (${form.role}).`);
    setForm({ name: '', role: 'viewer', password: '' });
  }

  if (!isAdmin) {
    return (
      <Section id="users" title="Your account" loading={false}>
        {userName ? <OwnPassword userName={userName} /> : null}
      </Section>
    );
  }
  return (
    <div className="detail-columns">
      <Section id="users" title="Users" loading={!list && !error} error={error}>
        {message ? (
          <p role="status" data-testid="users-message">
            {message}
          </p>
        ) : null}
        <table className="table dense stack-on-phone" data-testid="users-table">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Role</th>
              <th scope="col">Created</th>
              <th scope="col">Password</th>
              <th scope="col">Remove</th>
            </tr>
          </thead>
          <tbody>
            {list?.users.map((user) => (
              <tr key={user.name} data-testid={`user-${user.name}`}>
                <td>
                  {user.name}
                  {user.name === userName ? ' (you)' : ''}
                </td>
                <td>{user.role}</td>
                <td className="mono">{formatClock(user.createdAt)}</td>
                <td>
                  <form
                    className="inline-form"
                    onSubmit={(event) => {
                      event.preventDefault();
                      void act(
                        apiRequest(`/api/users/${encodeURIComponent(user.name)}/password`, Ok, { body: { password: passwords[user.name] ?? '' } }),
                        `Password of ${user.name} changed; their other sessions are signed out.`,
                      );
                      setPasswords({ ...passwords, [user.name]: '' });
                    }}
                  >
                    <input
                      type="password"
                      aria-label={`New password for ${user.name}`}
                      autoComplete="new-password"
                      minLength={8}
                      required
                      value={passwords[user.name] ?? ''}
                      onChange={(event) => setPasswords({ ...passwords, [user.name]: event.target.value })}
                    />
                    <button type="submit">Set</button>
                  </form>
                </td>
                <td>
                  {user.name === userName ? (
                    <span className="muted small">—</span>
                  ) : (
                    <button
                      type="button"
                      className="danger"
                      onClick={() =>
                        void act(apiRequest(`/api/users/${encodeURIComponent(user.name)}`, Ok, { method: 'DELETE' }), `User ${user.name} removed.`)
                      }
                      aria-label={`Remove ${user.name}`}
                    >
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form className="inline-form add-user" onSubmit={(event) => void add(event)} data-testid="add-user">
          <h3>Add a user</h3>
          <label>
            Name{' '}
            <input value={form.name} required pattern="[A-Za-z0-9][A-Za-z0-9._\-]{0,63}" onChange={(event) => setForm({ ...form, name: event.target.value })} />
          </label>
          <label>
            Role{' '}
            <select value={form.role} onChange={(event) => setForm({ ...form, role: event.target.value as Role })}>
              {ROLES.map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </label>
          <label>
            Password{' '}
            <input
              type="password"
              autoComplete="new-password"
              minLength={8}
              required
              value={form.password}
              onChange={(event) => setForm({ ...form, password: event.target.value })}
            />
          </label>
          <button type="submit">Add user</button>
        </form>
      </Section>
      <Section id="sessions" title="Sessions" loading={!list && !error}>
        <table className="table dense stack-on-phone" data-testid="sessions-table">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Role</th>
              <th scope="col">Signed in</th>
              <th scope="col">Expires</th>
              <th scope="col">Revoke</th>
            </tr>
          </thead>
          <tbody>
            {list?.sessions.map((session) => (
              <tr key={session.id} data-testid={`session-${session.user}`}>
                <td>
                  {session.user}
                  {session.current ? ' (this session)' : ''}
                </td>
                <td>{session.role}</td>
                <td className="mono">{formatClock(session.createdAt)}</td>
                <td className="mono">{formatClock(session.expiresAt)}</td>
                <td>
                  {session.current ? (
                    <span className="muted small">use Sign out</span>
                  ) : (
                    <button
                      type="button"
                      onClick={() => void act(apiRequest(`/api/sessions/${session.id}`, Ok, { method: 'DELETE' }), `Session of ${session.user} revoked.`)}
                      aria-label={`Revoke session of ${session.user} from ${formatClock(session.createdAt)}`}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </div>
  );
}
