export const HEAP_TOLERANCE_BYTES: number
export const HEAP_TOLERANCE_SHARE: number

export interface TargetInputs {
  thumbRatio?: number | null
  poolScaling?: number | null
  pdfPage1Ratio?: number | null
  pdfTextRatio?: number | null
  longTaskMaxMs?: number | null
  heapBaselineBytes?: number | null
  heapAfterBytes?: number | null
  heapDeltaBytes?: number | null
  /** Where the page targets were measured, for their labels. */
  pageSource?: string
  edge?: { readP99?: number | null; writeP99?: number | null; searchP99?: number | null }
}

export interface TargetResult {
  id: string
  label: string
  limit: string
  value: number | null | undefined
  unit: 'ratio' | 'ms' | 'bytes'
  /** Null when the figure could not be measured. */
  met: boolean | null
}

export function heapReturned(
  baseline: number | null | undefined,
  after: number | null | undefined,
): boolean | null
export function evaluateTargets(figures: TargetInputs): TargetResult[]
export function edgeLatencies(json: unknown): {
  readP99: number | null
  writeP99: number | null
  searchP99: number | null
}
export function edgeScenarios(json: unknown): {
  name: string
  p50: number | null
  p99: number
  requestsPerSecond: number | null
  ok: number | null
  sent: number | null
}[]
