import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

/** A child process of the benchmark, in a process group of its own so that stopping it stops its children too. */
export interface Child {
  name: string;
  process: ChildProcess;
  pid: number;
  /** Resolves with the process's first stdout line (the embedded MongoDB prints its URI). */
  firstLine: Promise<string>;
  exited: Promise<number | null>;
}

const running = new Set<Child>();

/** Starts `command`, its output going to `logDir/<name>.log`. */
export function startChild(
  name: string,
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; logDir: string },
): Child {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`${name} could not be started`);
  const log = createWriteStream(path.join(options.logDir, `${name}.log`));
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const firstLine = new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const end = buffered.indexOf('\n');
      if (end >= 0) resolve(buffered.slice(0, end).trim());
    });
    child.once('exit', () => reject(new Error(`${name} exited before printing anything`)));
  });
  firstLine.catch(() => undefined);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const entry: Child = { name, process: child, pid: child.pid, firstLine, exited };
  running.add(entry);
  void exited.then(() => running.delete(entry));
  return entry;
}

/** Runs a command to completion; rejects on a non-zero exit or after `timeoutMs`. */
export async function runToCompletion(
  name: string,
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; logDir: string; timeoutMs: number },
): Promise<void> {
  const child = startChild(name, command, args, options);
  const timer = setTimeout(() => void stopChild(child), options.timeoutMs);
  const code = await child.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${name} failed (exit code ${code}); see bench/logs/${name}.log`);
}

/** SIGTERM to the child's process group, SIGKILL after `graceMs`. */
export async function stopChild(child: Child, graceMs = 5_000): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  signalGroup(child.pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
  // Grandchildren that outlived their parent (none expected) go too.
  signalGroup(child.pid, 'SIGKILL');
}

/** Stops every child still running, the most recently started first. */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].reverse().map((child) => stopChild(child)));
}

/** Last resort when the benchmark process itself is exiting: no waiting, just kill. */
export function killAllChildrenNow(): void {
  for (const child of running) signalGroup(child.pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls `url` until it answers 2xx, the child exits, or `timeoutMs` passes. */
export async function waitUntilHealthy(child: Child, url: string, timeoutMs = 60_000, headers?: Record<string, string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null)
      throw new Error(`${child.name} exited (code ${child.process.exitCode}); see bench/logs/${child.name}.log`);
    try {
      const response = await fetch(url, { headers, signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${child.name} was not healthy within ${timeoutMs} ms`);
}

/** The process and its descendants (cluster workers), from /proc. */
export function processTree(pid: number): number[] {
  const tree = [pid];
  for (let index = 0; index < tree.length; index += 1) {
    try {
      const children = readFileSync(`/proc/${tree[index]}/task/${tree[index]}/children`, 'utf8').trim();
      if (children) tree.push(...children.split(/\s+/).map(Number));
    } catch {
      // Gone, or no /proc.
    }
  }
  return tree;
}

/** A line of /proc/<pid>/status in MiB (VmRSS now, VmHWM the peak so far); 0 when unreadable. */
export function statusMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU time (user + system) used so far by a process and its descendants, in milliseconds; from /proc, in clock ticks of 10 ms. */
export function cpuMilliseconds(pid: number): number {
  return processTree(pid).reduce((sum, member) => {
    try {
      // Fields after the command name (which may hold spaces), from field 3 on: utime and stime are fields 14 and 15.
      const fields = readFileSync(`/proc/${member}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return sum + (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return sum;
    }
  }, 0);
}

/** Samples the summed RSS of each group of processes (a process and its descendants) every `intervalMs`; `stop` gives the peaks in MiB. */
export function sampleRss(groups: Record<string, number>, intervalMs = 250): { stop(): Record<string, number> } {
  const peaks: Record<string, number> = Object.fromEntries(Object.keys(groups).map((name) => [name, 0]));
  const sample = () => {
    for (const [name, pid] of Object.entries(groups)) {
      const rss = processTree(pid).reduce((sum, member) => sum + statusMiB(member, 'VmRSS'), 0);
      peaks[name] = Math.max(peaks[name] ?? 0, rss);
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return Object.fromEntries(Object.entries(peaks).map(([name, mib]) => [name, Math.round(mib)]));
    },
  };
}
