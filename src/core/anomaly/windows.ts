/** Weekly UTC windows (maintenance windows, quiet hours). Pure. */
import type { MaintenanceWindow } from '../domain/topology.ts';

/** True when `now` (epoch ms) falls inside `window` (UTC; an end before the start wraps past midnight). */
export function inWeeklyWindow(window: MaintenanceWindow, now: number): boolean {
  const day = Math.floor(now / 86_400_000);
  const minute = Math.floor((now - day * 86_400_000) / 60_000);
  const wraps = window.startMinute > window.endMinute;
  // For a wrapping window the part after midnight belongs to the previous day's window.
  const windowDay = wraps && minute < window.endMinute ? day - 1 : day;
  const weekday = (((windowDay + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  const dayOk = window.days.length === 0 || window.days.includes(weekday);
  const inside = wraps ? minute >= window.startMinute || minute < window.endMinute : minute >= window.startMinute && minute < window.endMinute;
  return dayOk && inside;
}

export function inAnyWindow(windows: readonly MaintenanceWindow[], now: number): boolean {
  return windows.some((window) => inWeeklyWindow(window, now));
}
