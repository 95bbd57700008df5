import { useEffect, useState } from 'react';
import { StateDtoSchema } from '../../src/protocol/index.ts';
import { apiRequest, setUnauthorizedHandler } from './lib/api.ts';
import { loadMode, saveMode, type VisualMode } from './lib/visual-mode.ts';
import { DashboardPage } from './pages/dashboard-page.tsx';
import { LoginPage } from './pages/login-page.tsx';

type View = 'checking' | 'login' | 'dashboard';

/** Chooses login or dashboard (any 401 returns to login) and owns the persisted visual mode. */
export function App() {
  const [view, setView] = useState<View>('checking');
  const [mode, setMode] = useState<VisualMode>(() => loadMode(window.localStorage));

  useEffect(() => {
    document.documentElement.dataset.mode = mode;
    saveMode(window.localStorage, mode);
  }, [mode]);

  useEffect(() => {
    setUnauthorizedHandler(() => setView('login'));
    void apiRequest('/api/state', StateDtoSchema).then((result) => setView(!result.ok && result.error.status === 401 ? 'login' : 'dashboard'));
    return () => setUnauthorizedHandler(undefined);
  }, []);

  if (view === 'checking')
    return (
      <p className="placeholder" aria-busy="true">
        Loading Jarvis…
      </p>
    );
  if (view === 'login') return <LoginPage onLoggedIn={() => setView('dashboard')} />;
  return <DashboardPage mode={mode} onMode={setMode} />;
}
