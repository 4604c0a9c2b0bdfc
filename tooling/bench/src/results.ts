import { writeFileSync } from 'node:fs';
import type { Machine } from './machine.js';

export interface Table {
  caption?: string;
  headers: string[];
  rows: string[][];
}

/** One benchmark's part of RESULTS.md. */
export interface Section {
  title: string;
  /** How it was measured. */
  method: string[];
  tables: Table[];
  /** What the numbers say, against the bar in shared/ANCHORS.md. */
  interpretation: string[];
}

function escapeCell(cell: string): string {
  return cell.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function markdownTable(table: Table): string {
  const lines = [
    `| ${table.headers.map(escapeCell).join(' | ')} |`,
    `| ${table.headers.map(() => '---').join(' | ')} |`,
    ...table.rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ];
  return (table.caption ? `${table.caption}\n\n` : '') + lines.join('\n');
}

/** The same table, aligned for a terminal. */
export function consoleTable(table: Table): string {
  const widths = table.headers.map((header, column) =>
    Math.max(header.length, ...table.rows.map((row) => Math.min((row[column] ?? '').length, 60))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => {
        const text = cell.length > 60 ? `${cell.slice(0, 57)}...` : cell;
        return text.padEnd(widths[column] ?? 0);
      })
      .join('  ');
  return [
    ...(table.caption ? [table.caption] : []),
    line(table.headers),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...table.rows.map(line),
  ].join('\n');
}

function sectionText(section: Section): string {
  return [
    `## ${section.title}`,
    '',
    ...section.method.map((line) => `- ${line}`),
    '',
    ...section.tables.flatMap((table) => [markdownTable(table), '']),
    '**What it says.** ' + section.interpretation.join(' '),
    '',
  ].join('\n');
}

/** RESULTS.md, rewritten whole once a full run is over (a crash leaves the last one intact). */
export function writeResults(
  path: string,
  machine: Machine,
  sections: Section[],
  seconds: number,
): void {
  const header = [
    '# comfyrelay benchmarks',
    '',
    'Written by `pnpm bench` (tooling/bench); every full run rewrites this file. The bar comes from',
    '`shared/ANCHORS.md`: ingest at ≥ 0.8× a bare `ws` + `JSON.parse` client with 1,000 tracked',
    'generations (with and without per-completion `status`), flat memory, no eviction latency spike.',
    '',
    '| machine | |',
    '| --- | --- |',
    `| CPU | ${machine.cpu} |`,
    `| cores | ${machine.cores} |`,
    `| RAM | ${machine.ramGiB} GiB |`,
    `| Node | ${machine.node} |`,
    `| OS | ${machine.os} |`,
    `| date | ${machine.date} |`,
    `| whole run | ${seconds} s |`,
    '',
  ].join('\n');
  writeFileSync(path, `${header}\n${sections.map(sectionText).join('\n')}`);
}

export function printSection(section: Section): void {
  const out = [
    `\n== ${section.title} ==`,
    ...section.tables.map((table) => `\n${consoleTable(table)}`),
  ];
  out.push('', ...section.interpretation.map((line) => `  ${line}`));
  process.stdout.write(`${out.join('\n')}\n`);
}
