// Facts about the machine and software a run measured on, printed with the results: figures from a
// 2-core shared box and a 16-core laptop are not comparable without them.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MachineFacts } from './results.ts';

const nodeModules = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules');

function packageVersion(name: string): string {
  try {
    const file = path.join(nodeModules, name, 'package.json');
    return String((JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}

export function machineFacts(databases: Record<string, string>): MachineFacts {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGb: round(os.totalmem() / 1e9),
    freeMemoryGb: round(os.freemem() / 1e9),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    databases,
    libraries: Object.fromEntries(['jsforce', '@electric-sql/pglite', 'knex', 'pg', '@salesforce/cli'].map((name) => [name, packageVersion(name)])),
    loadAverage: os.loadavg().map(round),
  };
}

export function loadNow(): number {
  return round(os.loadavg()[0] ?? 0);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
