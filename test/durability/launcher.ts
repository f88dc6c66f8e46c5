import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { freePorts } from '../support/ports';

/**
 * The real launcher (`scripts/start.ts` through tsx, as `npm start` runs it), in a process group of its own so
 * that the test can kill it with everything it started, on free loopback ports and a data folder of the test's.
 */
export interface Launcher {
  /** The launcher's pid, which is also its process group id; the embedded MongoDB lives in this process. */
  pid: number;
  gatewayUrl: string;
  /** Everything the launcher and its children printed so far. */
  output(): string;
  exited: Promise<number | null>;
  hasExited(): boolean;
  /** SIGKILL to the whole group, as a power cut of these processes; resolves once none of them is left. */
  killGroup(): Promise<void>;
  /** SIGKILL to the launcher alone; its children are left to whatever they do without it. */
  killLauncher(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../..');
const SUBGRAPH_PORT_VARIABLES = ['HOUSING_PORT', 'TENANCY_PORT', 'ACTIONS_PORT', 'PARTNERS_PORT'];

export async function launch(dataDirectory: string, env: NodeJS.ProcessEnv = {}): Promise<Launcher> {
  const [gatewayPort, ...subgraphPorts] = await freePorts(1 + SUBGRAPH_PORT_VARIABLES.length);
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      QC_DATA_DIR: dataDirectory,
      HOST: '127.0.0.1',
      PORT: String(gatewayPort),
      ...Object.fromEntries(SUBGRAPH_PORT_VARIABLES.map((name, index) => [name, String(subgraphPorts[index])])),
      LOG_LEVEL: 'warn',
      MONGODB_URI: '',
      ...env,
    },
  });
  return wrap(child, `http://127.0.0.1:${gatewayPort}`);
}

function wrap(child: ChildProcess, gatewayBase: string): Launcher {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const pid = child.pid as number;
  const signalGroup = (signal: NodeJS.Signals | 0): boolean => {
    try {
      process.kill(-pid, signal);
      return true;
    } catch {
      return false;
    }
  };
  return {
    pid,
    gatewayUrl: `${gatewayBase}/graphql`,
    output: () => output,
    exited,
    hasExited: () => child.exitCode !== null || child.signalCode !== null,
    async killGroup() {
      signalGroup('SIGKILL');
      await exited;
      // Until nothing of the group runs: orphans of a killed launcher keep their group id.
      while (liveMembersOfGroup(pid) > 0) {
        signalGroup('SIGKILL');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async killLauncher() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Resolves once the gateway answers GET /health, or rejects if the launcher exits or `timeoutMs` passes. */
export async function waitUntilReady(launcher: Launcher, timeoutMs: number): Promise<void> {
  let exitCode: number | null | undefined;
  void launcher.exited.then((code) => (exitCode = code));
  const healthUrl = launcher.gatewayUrl.replace(/\/graphql$/, '/health');
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 200))) {
    if (exitCode !== undefined) throw new Error(`the launcher exited (${exitCode}) before it was ready:\n${launcher.output()}`);
    const healthy = await fetch(healthUrl, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return;
  }
  throw new Error(`the launcher was not ready within ${timeoutMs} ms:\n${launcher.output()}`);
}

/** Processes of group `groupId` that are not zombies (Linux: from /proc; an unreaped zombie holds no port). */
function liveMembersOfGroup(groupId: number): number {
  let count = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // "pid (command) state ppid pgrp …": the command may hold spaces and parentheses, so read after the last ')'.
    const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(group) === groupId && state !== 'Z') count++;
  }
  return count;
}
