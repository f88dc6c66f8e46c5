import { spawn } from 'node:child_process';
import path from 'node:path';

export interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

const repositoryRoot = path.resolve(__dirname, '../..');

/** Runs one of the project's TypeScript scripts as its npm script does, collecting what it prints. */
export function runScript(script: string, args: string[], env: Record<string, string>): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', script, ...args], { cwd: repositoryRoot, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
