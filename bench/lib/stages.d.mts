export function stageDurations(
  marks: readonly { stage: string; t: number }[],
  start: number,
  end: number,
): Record<string, number>
export function collectStages(runs: readonly Record<string, number>[]): Record<string, number[]>
