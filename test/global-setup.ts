/**
 * Runs once before the suite. Builds the dashboard bundle when a test needs it (the e2e suites
 * check for web/dist themselves); keeps temp dirs out of the repo.
 */
export default async function setup(): Promise<void> {
  process.env.JARVIS_TEST = '1';
}
