/** `jarvis freeze` — placeholder until its issue lands; exits 2 with a clear message. */
export async function run(_args: string[]): Promise<number> {
  process.stderr.write('jarvis freeze: not available yet in this build\n');
  return 2;
}
