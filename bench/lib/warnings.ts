// Problems that make a run's numbers invalid: shown at once, beside the run they concern, and kept for the
// summary at the end.
export function warn(into: string[], ws: readonly string[]): void {
  for (const w of ws) console.error(`WARNING: ${w}`);
  into.push(...ws);
}
