// Sums the scripts of long animation frames per script, heaviest first. Pure.

/**
 * @param {readonly { invokerType: string, invoker: string, sourceFunctionName: string, sourceURL: string, sourceCharPosition: number, duration: number }[]} scripts
 * @param {number} [limit] how many to keep (5)
 * @returns {{ script: string, count: number, totalMs: number, maxMs: number }[]}
 */
export function topCulprits(scripts, limit = 5) {
  const byScript = new Map()
  for (const script of scripts) {
    const file = script.sourceURL.split('/').pop() || '(no source)'
    const name = script.sourceFunctionName || '(anonymous)'
    const where = `${name} (${file}:${script.sourceCharPosition})`
    const key = `${script.invokerType} ${script.invoker} → ${where}`
    const entry = byScript.get(key) ?? { script: key, count: 0, totalMs: 0, maxMs: 0 }
    entry.count += 1
    entry.totalMs += script.duration
    entry.maxMs = Math.max(entry.maxMs, script.duration)
    byScript.set(key, entry)
  }
  return [...byScript.values()].sort((a, b) => b.totalMs - a.totalMs).slice(0, limit)
}
