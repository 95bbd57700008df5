/** Docker adapter: DockerApi over dockerode, through a socket proxy (TCP), TLS, or SSH; never a docker.sock. */
export { createDockerApi } from './create-docker-api.ts';
export type { DockerApiConfig } from './create-docker-api.ts';
export { DockerodeDockerApi, DOCKER_DEFAULT_LOG_BYTES, DOCKER_DEFAULT_TIMEOUT_MS } from './dockerode-docker-api.ts';
export { parseDockerEndpoint } from './parse-docker-endpoint.ts';
export type { DockerEndpoint } from './parse-docker-endpoint.ts';
export { demuxDockerLogs } from './demux-docker-logs.ts';
export { loadDockerApi } from './load-docker-api.ts';
export type { DockerFileConfig } from './load-docker-api.ts';
