import { describe, expect, it } from 'vitest';
import { loadMode, saveMode } from './visual-mode.ts';

function memoryStorage() {
  const values = new Map<string, string>();
  return { getItem: (key: string) => values.get(key) ?? null, setItem: (key: string, value: string) => void values.set(key, value) };
}

describe('visual mode persistence', () => {
  it('defaults to Ops', () => {
    expect(loadMode(memoryStorage())).toBe('ops');
    expect(loadMode(undefined)).toBe('ops');
  });
  it('round-trips a saved mode and ignores garbage', () => {
    const storage = memoryStorage();
    saveMode(storage, 'jarvis');
    expect(loadMode(storage)).toBe('jarvis');
    storage.setItem('jarvis.visualMode', 'rainbow');
    expect(loadMode(storage)).toBe('ops');
  });
});
