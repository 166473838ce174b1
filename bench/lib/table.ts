// Plain-text table for the terminal.
export type Align = 'left' | 'right';
export type Column = { header: string; align?: Align };

export function formatTable(columns: Column[], rows: string[][]): string {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const cell = (text: string, i: number) => {
    const width = widths[i] ?? 0;
    return columns[i]?.align === 'right' ? text.padStart(width) : text.padEnd(width);
  };
  const line = (cells: string[]) =>
    columns
      .map((_, i) => cell(cells[i] ?? '', i))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(columns.map((c) => c.header)), rule, ...rows.map(line)].join('\n');
}

export const fixed = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

export const left = (...headers: string[]): Column[] => headers.map((header) => ({ header }));
export const right = (...headers: string[]): Column[] =>
  headers.map((header) => ({ header, align: 'right' }));
