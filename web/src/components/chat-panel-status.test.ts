import { describe, expect, it } from 'vitest';
import { chatStatusView } from './chat-panel.tsx';

describe("chatStatusView (the chat panel's honest states)", () => {
  it('AI off: offline badge, the reason, an offline hint in the input', () => {
    const view = chatStatusView({ mode: 'off', detail: 'AI is off: offline command mode answers (no model is used).' }, false);
    expect(view).toMatchObject({ offline: true, badge: 'offline mode', banner: 'AI is off: offline command mode answers (no model is used).' });
    expect(view.placeholder).toMatch(/^Offline mode/);
    // the switch flipped before the status was re-read: still says off
    expect(chatStatusView({ mode: 'hybrid', detail: 'Local a + cloud b' }, false)).toMatchObject({ offline: true, banner: expect.stringMatching(/AI is off/) });
  });

  it('no model configured and model down: offline, with the reason', () => {
    expect(chatStatusView({ mode: 'no-model', detail: 'No model configured: offline command mode answers.' }, true)).toMatchObject({
      offline: true,
      badge: 'offline mode',
      banner: 'No model configured: offline command mode answers.',
    });
    expect(chatStatusView({ mode: 'down', detail: 'Model unreachable: connection refused: offline command mode answers.' }, true)).toMatchObject({
      offline: true,
      banner: expect.stringMatching(/connection refused/),
    });
  });

  it('over budget: the model still answers, the banner names the cap and its reset', () => {
    const view = chatStatusView(
      { mode: 'over-budget', detail: 'Cloud budget exhausted (daily cap, resets 2026-12-05 00:00 UTC): local model or offline mode.' },
      true,
    );
    expect(view).toMatchObject({ offline: false, badge: 'over-budget', banner: expect.stringMatching(/daily cap, resets 2026-12-05 00:00 UTC/) });
    expect(view.placeholder).toMatch(/^Ask Jarvis/);
  });

  it('a working model: no banner', () => {
    expect(chatStatusView({ mode: 'hybrid', detail: 'Local a + cloud b' }, true)).toEqual({ offline: false, badge: 'hybrid', placeholder: expect.any(String) });
  });
});
