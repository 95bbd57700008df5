import type { ConfigSection } from './config-section.ts';
import { chatSection } from './chat-section.ts';
import { dockerSection } from './docker-section.ts';
import { llmSection } from './llm-section.ts';
import { monitorSection } from './monitor-section.ts';
import { pathsSection } from './paths-section.ts';
import { pollSection } from './poll-section.ts';
import { protectedSection } from './protected-section.ts';
import { pveSection } from './pve-section.ts';
import { safetySection } from './safety-section.ts';
import { serverSection } from './server-section.ts';
import { simulatorSection } from './simulator-section.ts';
import { sshSection } from './ssh-section.ts';
import { timeoutsSection } from './timeouts-section.ts';
import { topologySection } from './topology-section.ts';
import { uiSection } from './ui-section.ts';

/**
 * Every top-level section of jarvis.yaml, listed by hand. To add a section: create
 * `<name>-section.ts` beside this file and add ONE entry here (and to `SECTIONS` below).
 */
export const sections = {
  pve: pveSection,
  topology: topologySection,
  protected: protectedSection,
  safety: safetySection,
  server: serverSection,
  paths: pathsSection,
  poll: pollSection,
  timeouts: timeoutsSection,
  ssh: sshSection,
  docker: dockerSection,
  llm: llmSection,
  ui: uiSection,
  simulator: simulatorSection,
  monitor: monitorSection,
  chat: chatSection,
} as const;

/** The same list as an array, for the loader (env/flag bindings, docs). */
export const SECTIONS: readonly ConfigSection[] = Object.values(sections);
