import { useState, type FormEvent } from 'react';
import { SessionDtoSchema } from '../../../src/protocol/index.ts';
import { apiRequest } from '../lib/api.ts';

/** POST /api/login; the session arrives as an HttpOnly cookie. Shows throttling and bad-password errors. */
export function LoginPage({ onLoggedIn }: { onLoggedIn: () => void }) {
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    setBusy(true);
    const result = await apiRequest('/api/login', SessionDtoSchema, { body: { username, password } });
    setBusy(false);
    if (result.ok) onLoggedIn();
    else setError(result.error.status === 401 ? 'Wrong user name or password.' : result.error.message);
  }

  return (
    <main className="login">
      <form className="panel login-form" onSubmit={(event) => void submit(event)} aria-labelledby="login-heading">
        <h1 id="login-heading">Jarvis — sign in</h1>
        <label htmlFor="username">User name</label>
        <input id="username" name="username" autoComplete="username" value={username} onChange={(event) => setUsername(event.target.value)} required />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          required
        />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        {error ? (
          <p className="section-error" role="alert">
            ✖ {error}
          </p>
        ) : null}
      </form>
    </main>
  );
}
