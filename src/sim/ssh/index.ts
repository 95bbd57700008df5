/** Simulated SSH endpoints of the cluster nodes (ssh2 server mode), answering the diagnostic catalogue. */
export { startSimSshServers } from './start-sim-ssh-servers.ts';
export type { SimExecRequest, SimSshFault, SimSshHostKey, SimSshOptions, SimSshServers } from './start-sim-ssh-servers.ts';
export { answerCommand, SIM_COMMANDS } from './answer-command.ts';
export { parseShellWords } from './parse-shell-words.ts';
export { serviceRestartHooks } from './sim-command.ts';
export type { SimShellHooks } from './sim-command.ts';
export { pveshFromRoutes } from './pvesh-from-routes.ts';
