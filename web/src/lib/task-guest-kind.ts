/**
 * VM or CT from a PVE task type (`qmstart` -> VM, `vzstop` -> CT). `vzdump` backs up both kinds,
 * so it names neither: "guest".
 */
export function taskGuestKind(type: string): string {
  if (type.startsWith('qm')) return 'VM';
  if (type === 'vzdump') return 'guest';
  if (type.startsWith('vz') || type.startsWith('lxc')) return 'CT';
  return 'guest';
}
