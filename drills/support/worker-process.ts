import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface RoleProcessOptions {
  /** Node flags before the entry point, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`. */
  nodeArgs?: string[];
  /** Another build's `src/main.js` (a baseline to compare under the same load). */
  main?: string;
}

/**
 * A real role process (`worker` by default; the compiled entry point next to this file's build),
 * started with env config only — what a deployment runs, so kill -9 and restarts are real.
 */
export class WorkerProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  readonly output: string[] = [];
  /** Bytes the process wrote to stdout/stderr (its logs). */
  outputBytes = 0;

  constructor(private readonly env: Record<string, string>, private readonly role = 'worker', private readonly options: RoleProcessOptions = {}) {}

  start(): void {
    const main = this.options.main ?? join(__dirname, '..', '..', 'src', 'main.js');
    const child = spawn(process.execPath, [...(this.options.nodeArgs ?? []), main, this.role], {
      env: { PATH: process.env.PATH ?? '', ...this.env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.outputBytes += chunk.length;
      this.output.push(chunk.toString('utf8'));
      if (this.output.length > 200) this.output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.child = child;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null;
  }

  /** SIGKILL: no shutdown hook runs, in-flight sends are cut wherever they are. */
  async kill9(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM (graceful: shutdown hooks run, a `--cpu-prof` profile is written), SIGKILL after 15 s. */
  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    this.child.kill('SIGTERM');
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 15_000).unref());
    await Promise.race([this.exited, timeout]);
    if (this.child.exitCode === null) await this.kill9();
  }
}
