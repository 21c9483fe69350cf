// The markdown report of a run: machine facts, every target with its verdict, then each scenario's tables
// and notes. Pure: results in, text out.
import type { BenchResults, MachineFacts, Table, TargetCheck } from './results.ts';
import { formatMs } from './stats.ts';

export function markdownTable(table: Table): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [`| ${table.columns.map(escape).join(' | ')} |`, `| ${table.columns.map(() => '---').join(' | ')} |`];
  for (const row of table.rows) lines.push(`| ${row.map(escape).join(' | ')} |`);
  return lines.join('\n');
}

function verdict(met: boolean | null): string {
  return met === null ? 'not judged' : met ? 'met' : '**missed**';
}

export function machineSection(machine: MachineFacts): string {
  return [
    `- CPU: ${machine.cpuModel}, ${machine.cores} cores available; memory ${machine.memoryGb} GB (${machine.freeMemoryGb} GB free at start)`,
    `- Node ${machine.node} on ${machine.platform}`,
    `- Databases: ${Object.entries(machine.databases).map(([kind, version]) => `${kind} ${version}`).join('; ')}`,
    `- Libraries: ${Object.entries(machine.libraries).map(([name, version]) => `${name} ${version}`).join(', ')}`,
    `- Load average at start (1/5/15 min): ${machine.loadAverage.join(' / ')} — the machine is shared; each scenario lists the load it ran under`,
  ].join('\n');
}

export function targetsTable(targets: readonly TargetCheck[]): Table {
  return {
    title: 'Targets',
    columns: ['scenario', 'database', 'check', 'target', 'measured', 'verdict', 'note'],
    rows: targets.map((t) => [String(t.scenario), t.database ?? '–', t.name, t.target, t.measured, verdict(t.met), t.note ?? '']),
  };
}

export function renderReport(results: BenchResults): string {
  const parts: string[] = [];
  parts.push(`# prm-sync benchmark — ${results.profile} profile`);
  parts.push(`Run ${results.startedAt} → ${results.finishedAt} (${formatMs(results.durationMs)}); scenarios ${results.scenarios.join(', ')}; databases ${results.databases.join(', ')}.`);
  parts.push(`## Machine\n\n${machineSection(results.machine)}`);
  if (results.skipped.length > 0) parts.push(`## Not measured\n\n${results.skipped.map((s) => `- ${s}`).join('\n')}`);
  const targets = results.reports.flatMap((r) => r.targets);
  if (targets.length > 0) parts.push(`## Targets\n\n${markdownTable(targetsTable(targets))}`);
  for (const report of results.reports) {
    const where = report.database ? ` — ${report.database}` : '';
    parts.push(`## ${report.id}. ${report.title}${where}`);
    parts.push(`Load average ${report.load.start} → ${report.load.end}; ${formatMs(report.durationMs)}.`);
    for (const table of report.tables) parts.push(`### ${table.title}\n\n${markdownTable(table)}`);
    if (report.notes.length > 0) parts.push(report.notes.map((note) => `- ${note}`).join('\n'));
  }
  return `${parts.join('\n\n')}\n`;
}
