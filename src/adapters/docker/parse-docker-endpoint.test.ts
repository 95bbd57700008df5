import { describe, expect, it } from 'vitest';
import { createDockerApi } from './create-docker-api.ts';
import { parseDockerEndpoint } from './parse-docker-endpoint.ts';

describe('parseDockerEndpoint', () => {
  it('accepts a socket-proxy TCP endpoint, TLS and SSH endpoints', () => {
    expect(parseDockerEndpoint('tcp://192.0.2.10:2375')).toEqual({ ok: true, value: { protocol: 'http', host: '192.0.2.10', port: 2375 } });
    expect(parseDockerEndpoint('tcp://docker-proxy')).toEqual({ ok: true, value: { protocol: 'http', host: 'docker-proxy', port: 2375 } });
    expect(parseDockerEndpoint('https://vm103:2376')).toEqual({ ok: true, value: { protocol: 'https', host: 'vm103', port: 2376 } });
    expect(parseDockerEndpoint('ssh://jarvis@vm103')).toEqual({ ok: true, value: { protocol: 'ssh', host: 'vm103', port: 22, username: 'jarvis' } });
  });

  it('refuses a mounted docker.sock in any spelling with CONFIG_INVALID and a hint', () => {
    for (const text of ['unix:///var/run/docker.sock', '/var/run/docker.sock', 'npipe:////./pipe/docker_engine', 'http+unix://%2Fvar%2Frun%2Fdocker.sock']) {
      const result = parseDockerEndpoint(text);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error.code).toBe('CONFIG_INVALID');
      expect(!result.ok && result.error.hint).toContain('docker-socket-proxy');
    }
  });

  it('refuses garbage and unknown schemes', () => {
    expect(parseDockerEndpoint('not a url').ok).toBe(false);
    expect(parseDockerEndpoint('ftp://x').ok).toBe(false);
  });

  it('createDockerApi names the offending config key and needs SSH settings for ssh:// hosts', () => {
    const socket = createDockerApi({ hosts: { 'docker@103': 'unix:///var/run/docker.sock' } });
    expect(!socket.ok && socket.error.details).toEqual({ key: 'docker.hosts.docker@103' });
    expect(createDockerApi({ hosts: { 'docker@103': 'ssh://root@vm103' } })).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } });
    const built = createDockerApi({ hosts: { 'docker@103': 'tcp://127.0.0.1:2375' } });
    expect(built.ok && built.value.hosts()).toEqual(['docker@103']);
  });
});
