export interface Summary {
  n: number
  min: number
  median: number
  mean: number
  p95: number
  max: number
}

export function summarize(samples: readonly number[]): Summary | null
export function percentile(sorted: readonly number[], p: number): number
export function ratio(
  numerator: number | null | undefined,
  denominator: number | null | undefined,
): number | null
