// Turns figures into the short strings of the stdout report. Pure functions.

/** Milliseconds as "0.42 ms", "12.3 ms", "812 ms" or "3.21 s"; "n/a" when missing. */
export function formatMs(ms) {
  if (ms == null || !Number.isFinite(ms)) return 'n/a'
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`
  if (ms >= 100) return `${ms.toFixed(0)} ms`
  if (ms >= 10) return `${ms.toFixed(1)} ms`
  return `${ms.toFixed(2)} ms`
}

/** A ratio as "1.83×" (three significant digits); "n/a" when missing. */
export function formatRatio(value) {
  if (value == null || !Number.isFinite(value)) return 'n/a'
  if (value >= 100) return `${value.toFixed(0)}×`
  if (value >= 10) return `${value.toFixed(1)}×`
  return `${value.toFixed(2)}×`
}

/** Bytes in binary units: "512 B", "3.4 KiB", "120.5 MiB"; "n/a" when missing. */
export function formatBytes(bytes) {
  if (bytes == null || !Number.isFinite(bytes)) return 'n/a'
  const sign = bytes < 0 ? '-' : ''
  let value = Math.abs(bytes)
  if (value < 1024) return `${sign}${value.toFixed(0)} B`
  for (const unit of ['KiB', 'MiB', 'GiB']) {
    value /= 1024
    if (value < 1024 || unit === 'GiB') return `${sign}${value.toFixed(1)} ${unit}`
  }
  return `${sign}${value.toFixed(1)} GiB`
}

/** A rate with its unit: "4.25 files/s"; "n/a" when missing. */
export function formatRate(value, unit) {
  if (value == null || !Number.isFinite(value)) return 'n/a'
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(2)} ${unit}`
}

/** "met", "not met", or "n/a" when the figure could not be measured. */
export function formatVerdict(met) {
  if (met === true) return 'met'
  if (met === false) return 'NOT MET'
  return 'n/a'
}

/**
 * Lays rows out as a plain-text table. The first row is the header; numbers-looking cells
 * are right-aligned, everything else left-aligned.
 *
 * @param {readonly (readonly string[])[]} rows
 * @returns {string}
 */
export function renderTable(rows) {
  if (rows.length === 0) return ''
  const columns = Math.max(...rows.map((row) => row.length))
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(...rows.map((row) => String(row[column] ?? '').length)),
  )
  const numeric = /^[-+]?[\d.]+(\s?[a-zA-Z×/%]+)?$/
  const line = (row) =>
    widths
      .map((width, column) => {
        const cell = String(row[column] ?? '')
        return numeric.test(cell) ? cell.padStart(width) : cell.padEnd(width)
      })
      .join('  ')
      .trimEnd()
  const [header, ...body] = rows
  const rule = widths.map((width) => '-'.repeat(width)).join('  ')
  return [line(header), rule, ...body.map(line)].join('\n')
}
