/** Benchmarks print one JSON object per figure, so CI logs and docs can quote them as-is. */
export interface Figure {
  bench: string;
  metric: string;
  value: number;
  unit: string;
}

export function report(figure: Figure): void {
  console.log(JSON.stringify(figure));
}

/** The p-th percentile (nearest rank) of values sorted ascending. */
export function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

/** Milliseconds to three decimals, as the figures are printed. */
export const roundMs = (ms: number): number => Math.round(ms * 1000) / 1000;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Runs `work` over `items` and returns operations per second. */
export function rate<T>(items: readonly T[], work: (item: T) => void): number {
  const start = process.hrtime.bigint();
  for (const item of items) work(item);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return items.length / seconds;
}
