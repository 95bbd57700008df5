/**
 * The stand-in for `docker build -f deploy/Dockerfile .` (there is no Docker engine here): it reads
 * the Dockerfile, assembles exactly the files each stage's COPY instructions take (the build stage
 * from the context filtered by .dockerignore, the runtime stage from the build stage), runs the
 * build stage's RUN steps, then starts the runtime stage's CMD and asks /health.
 * What it cannot do, and does instead: `npm ci` is a symlink to this checkout's node_modules, apt-get
 * is skipped (this machine's toolchain), and `npm prune --omit=dev` is skipped (it would prune the
 * shared node_modules), so a runtime import of a dev dependency is not caught here. A RUN step it
 * does not know fails the test: teach it the step instead of letting it slip by.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

interface Instruction {
  readonly op: string;
  readonly args: string;
}
interface Stage {
  readonly name: string;
  readonly instructions: Instruction[];
}

/** Dockerfile instructions per stage (continuations joined, comments dropped). */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  for (const line of lines.split('\n')) {
    const match = /^(\w+)\s+(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, op, args] = match as unknown as [string, string, string];
    if (op.toUpperCase() === 'FROM') stages.push({ name: /\bAS\s+(\S+)/i.exec(args)?.[1] ?? String(stages.length), instructions: [] });
    else stages.at(-1)?.instructions.push({ op: op.toUpperCase(), args: args.trim() });
  }
  return stages;
}

/** .dockerignore as a predicate on context-relative paths (the patterns this repository uses: `**`, `*`, plain paths). */
function dockerIgnore(text: string): (path: string) => boolean {
  const patterns = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((pattern) => {
      const source = pattern
        .replace(/^\/+/, '')
        .split(/(\*\*\/|\*\*|\*)/)
        .map((token) => ({ '**/': '(?:.*/)?', '**': '.*', '*': '[^/]*' })[token] ?? token.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('');
      return new RegExp(`^${source}(?:/.*)?$`);
    });
  return (path) => patterns.some((pattern) => pattern.test(path));
}

/** COPY [--from=S] [--chown=..] SRC... DEST, from `fromRoot` (relative to `fromDir`) into `root` at `workdir`. */
function copy(args: string, roots: { from: string; fromDir: string; to: string; workdir: string; ignored?: (path: string) => boolean }): void {
  const words = args.split(/\s+/).filter((word) => !word.startsWith('--'));
  const dest = words.pop()!;
  const target = join(roots.to, dest.startsWith('/') ? dest : join(roots.workdir, dest));
  for (const source of words) {
    const from = source.startsWith('/') ? join(roots.from, source) : join(roots.from, roots.fromDir, source);
    if (!existsSync(from) && !lstatSync(from, { throwIfNoEntry: false })) throw new Error(`COPY ${source}: not found`);
    const to = dest.endsWith('/') || words.length > 1 ? join(target, basename(source)) : target;
    mkdirSync(dirname(to), { recursive: true });
    if (lstatSync(from).isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else cpSync(from, to, { recursive: true, verbatimSymlinks: true, filter: (path) => !roots.ignored?.(relative(roots.from, path)) });
  }
}

/** Runs one stage's RUN step, command by command, as the stand-in understands them. */
function runStep(command: string, root: string, workdir: string): void {
  const cwd = join(root, workdir);
  for (const part of command.split('&&').map((piece) => piece.trim())) {
    if (/^apt-get\b|^rm -rf \/var\/lib\/apt\/lists/.test(part)) continue; // system packages: this machine's
    if (/^npm prune --omit=dev\b/.test(part)) continue; // would prune the shared node_modules (see the header)
    if (/^chown\b/.test(part)) continue; // ownership: the test runs as one user
    if (/^npm ci\b/.test(part)) {
      symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(cwd, 'node_modules'));
      continue;
    }
    const mkdir = /^mkdir -p (.+)$/.exec(part);
    if (mkdir) {
      for (const path of mkdir[1]!.split(/\s+/)) mkdirSync(join(root, path.startsWith('/') ? path : join(workdir, path)), { recursive: true });
      continue;
    }
    const npx = /^npx (\S+)\s*(.*)$/.exec(part);
    if (npx) {
      const run = spawnSync(join(cwd, 'node_modules/.bin', npx[1]!), npx[2]!.split(/\s+/).filter(Boolean), { cwd, encoding: 'utf8', timeout: 120_000 });
      if (run.status !== 0) throw new Error(`RUN ${part} failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
      continue;
    }
    throw new Error(`the image-build stand-in does not know the RUN step '${part}': teach test/cli/image-build.test.ts`);
  }
}

const dockerfile = readFileSync(resolve(ROOT, 'deploy/Dockerfile'), 'utf8');
const stages = parseDockerfile(dockerfile);
const ignored = dockerIgnore(readFileSync(resolve(ROOT, '.dockerignore'), 'utf8'));
let dir: string;
const roots = new Map<string, string>();
const imageEnv: Record<string, string> = {};
let cmd: string[] = [];
let healthcheck = '';

/** Builds every stage in order; the last one is the image. Returns the image's root. */
function build(): string {
  let workdir = '/';
  for (const stage of stages) {
    const root = join(dir, `stage-${stage.name}`);
    mkdirSync(root, { recursive: true });
    roots.set(stage.name, root);
    workdir = '/';
    for (const { op, args } of stage.instructions) {
      if (op === 'WORKDIR') workdir = args;
      else if (op === 'COPY') {
        const from = /--from=(\S+)/.exec(args)?.[1];
        if (from !== undefined) copy(args, { from: roots.get(from)!, fromDir: '/', to: root, workdir });
        else copy(args, { from: ROOT, fromDir: '.', to: root, workdir, ignored });
      } else if (op === 'RUN') runStep(args, root, workdir);
      else if (op === 'ENV' && stage === stages.at(-1))
        for (const match of args.matchAll(/(\w+)=(\S+)/g)) imageEnv[match[1]!] = match[2]!.startsWith('/') ? join(root, match[2]!) : match[2]!;
      else if (op === 'CMD') cmd = JSON.parse(args) as string[];
      else if (op === 'HEALTHCHECK') healthcheck = /\bCMD\s+(.*)$/.exec(args)?.[1] ?? '';
    }
  }
  return join([...roots.values()].at(-1)!, workdir);
}

describe('deploy/Dockerfile, built without Docker (stand-in for `docker build`)', () => {
  let app: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jarvis-image-'));
    app = build();
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('assembles the build context as .dockerignore filters it (no host node_modules, web/dist or data)', () => {
    expect(ignored('node_modules/vite/package.json')).toBe(true);
    expect(ignored('web/dist/index.html')).toBe(true);
    expect(ignored('src/adapters/sqlite/x.db')).toBe(true);
    expect(ignored('src/cli/main.ts')).toBe(false);
    expect(stages.map((stage) => stage.name)).toHaveLength(2);
  });

  it("the build stage's `vite build` produces the dashboard from exactly the files it copies", () => {
    expect(existsSync(join(roots.get(stages[0]!.name)!, 'app/web/dist/index.html'))).toBe(true);
    expect(existsSync(join(app, 'web/dist/index.html'))).toBe(true);
    expect(existsSync(join(app, 'web/src'))).toBe(false); // the runtime takes the bundle only
  });

  it('the runtime stage runs `node bin/jarvis.js --version` from its own files', () => {
    const run = spawnSync(process.execPath, ['bin/jarvis.js', '--version'], {
      cwd: app,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'], HOME: dir, ...imageEnv },
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^jarvis \d+\.\d+\.\d+\n$/);
  });

  it("the image's CMD starts on the embedded simulator, /health answers, the HEALTHCHECK passes, and SIGTERM stops it", async () => {
    expect(cmd.slice(0, 2)).toEqual(['node', 'bin/jarvis.js']);
    // Loopback and a free port instead of 0.0.0.0:8080; no config file (the compose file mounts one).
    const env = { PATH: process.env['PATH'], HOME: dir, ...imageEnv, JARVIS_CONFIG: '', JARVIS_SERVER_HOST: '127.0.0.1', JARVIS_SERVER_PORT: '0' };
    const child = spawn(process.execPath, [...cmd.slice(1), '--json'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      const line = await new Promise<string>((done, fail) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += String(chunk);
          if (out.includes('\n')) done(out.split('\n')[0]!);
        });
        void exited.then((code) => fail(new Error(`jarvis start exited ${code}: ${stderr}`)));
      });
      const { url, simulated } = JSON.parse(line) as { url: string; simulated: boolean };
      expect(simulated).toBe(true);
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(existsSync(join(imageEnv['JARVIS_AUDIT_DB']!))).toBe(true); // the audit volume's path from the image's ENV
      const port = new URL(url).port;
      const probe = spawnSync('sh', ['-c', healthcheck.replaceAll(':8080/', `:${port}/`)], { cwd: app, env, encoding: 'utf8', timeout: 30_000 });
      expect(probe.status, probe.stderr).toBe(0);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 60_000);
});
