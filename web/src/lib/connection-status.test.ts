import { describe, expect, it } from 'vitest';
import { connectionStatus } from './connection-status.ts';

describe('connectionStatus', () => {
  it('is connected while the socket is open, whatever happened before', () => {
    expect(connectionStatus(true, 9, true)).toBe('connected');
  });
  it('is reconnecting right after a drop and during the first retries', () => {
    expect(connectionStatus(false, 0, true)).toBe('reconnecting');
    expect(connectionStatus(false, 1, true)).toBe('reconnecting');
  });
  it('turns disconnected once retries keep failing', () => {
    expect(connectionStatus(false, 2, true)).toBe('disconnected');
  });
  it('is reconnecting (connecting) during the very first attempt', () => {
    expect(connectionStatus(false, 0, false)).toBe('reconnecting');
  });
});
