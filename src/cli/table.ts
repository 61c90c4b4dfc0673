/** Plain-text table with aligned columns (no colours: output is often piped). */
export function renderTable(head: string[], rows: string[][]): string {
  const all = [head, ...rows];
  const widths = head.map((_, c) => Math.max(...all.map((r) => [...(r[c] ?? '')].length)));
  const line = (r: string[]) =>
    `  ${r
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd()}`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
