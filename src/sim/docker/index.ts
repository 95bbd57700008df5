/** Simulated Docker Engine API endpoints (plain HTTP on loopback), one per Docker host of the view. */
export { startSimDockerApi } from './start-sim-docker-api.ts';
export type { SimDockerApi, SimDockerFault } from './start-sim-docker-api.ts';
export { answerEngineRequest } from './engine-routes.ts';
export type { SimDockerRequest } from './engine-routes.ts';
export { frameLogs, SIM_DOCKER_API_VERSION } from './engine-json.ts';
