export interface ScriptTiming {
  invokerType: string
  invoker: string
  sourceFunctionName: string
  sourceURL: string
  sourceCharPosition: number
  duration: number
}

export interface Culprit {
  /** `invokerType invoker → function (file:char)`, as far as the browser knows. */
  script: string
  count: number
  totalMs: number
  maxMs: number
}

export function topCulprits(scripts: readonly ScriptTiming[], limit?: number): Culprit[]
