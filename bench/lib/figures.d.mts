export function compareFigures(
  a: Record<string, number | null>,
  b: Record<string, number | null>,
): { key: string; a: number | null; b: number | null; ratio: number | null }[]
export function unitOf(key: string): 'ms' | 'bytes' | ''
