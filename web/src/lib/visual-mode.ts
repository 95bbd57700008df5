/**
 * The three visual modes (seed pitfall 8): Ops (default), JARVIS, Minimal. The choice is persisted
 * in localStorage and applied as `data-mode` on <html>; CSS does the rest.
 */
export const VISUAL_MODES = ['ops', 'jarvis', 'minimal'] as const;
export type VisualMode = (typeof VISUAL_MODES)[number];

export const MODE_LABELS: Record<VisualMode, string> = { ops: 'Ops', jarvis: 'JARVIS', minimal: 'Minimal' };

const KEY = 'jarvis.visualMode';

/** Reads the saved mode; 'ops' when none or invalid (or storage unavailable). */
export function loadMode(storage: Pick<Storage, 'getItem'> | undefined): VisualMode {
  try {
    const saved = storage?.getItem(KEY);
    return (VISUAL_MODES as readonly string[]).includes(saved ?? '') ? (saved as VisualMode) : 'ops';
  } catch {
    return 'ops';
  }
}

export function saveMode(storage: Pick<Storage, 'setItem'> | undefined, mode: VisualMode): void {
  try {
    storage?.setItem(KEY, mode);
  } catch {
    // private mode or quota: the choice just does not persist
  }
}
