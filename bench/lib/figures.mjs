// Compares the flat `figures` maps of two benchmark JSON files. Pure.

/**
 * Pairs every figure present in either run with its ratio b / a.
 *
 * @param {Record<string, number | null>} a figures of the earlier run
 * @param {Record<string, number | null>} b figures of the later run
 * @returns {{ key: string, a: number | null, b: number | null, ratio: number | null }[]}
 */
export function compareFigures(a, b) {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
  return keys.map((key) => {
    const left = a[key] ?? null
    const right = b[key] ?? null
    const ratio =
      left != null && right != null && Number.isFinite(left) && Number.isFinite(right) && left !== 0
        ? right / left
        : null
    return { key, a: left, b: right, ratio }
  })
}

/** The unit a figure's key ends with: `…Ms` → ms, `…Bytes` → bytes, else a plain number. */
export function unitOf(key) {
  if (/Ms$/.test(key)) return 'ms'
  if (/Bytes$/.test(key)) return 'bytes'
  return ''
}
