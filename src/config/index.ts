/** src/config: the only module that reads env vars and the config file. */
export { loadConfig, type LoadConfigInput, type LoadedConfig } from './load-config.ts';
export { type JarvisConfig, usesEmbeddedSimulator } from './jarvis-config.ts';
export { formatConfigError, configIssues, type ConfigIssue } from './config-error.ts';
export { SECRET_ENV, type Secrets } from './secrets.ts';
export { SECTIONS, sections } from './sections/index.ts';
export { readClientEnv, type ClientEnv } from './client-env.ts';
