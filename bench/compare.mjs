// `node bench/compare.mjs a.json b.json`: every figure of two bench runs side by side, with the
// ratio b / a. Machines here are noisy: a ratio between runs is a hint, not a verdict.
import { readFileSync } from 'node:fs'
import { compareFigures, unitOf } from './lib/figures.mjs'
import { formatBytes, formatMs, formatRatio, renderTable } from './lib/format.mjs'

const [first, second] = process.argv.slice(2)
if (!first || !second) {
  console.error('Usage: node bench/compare.mjs a.json b.json')
  process.exit(2)
}

const load = (path) => {
  try {
    const json = JSON.parse(readFileSync(path, 'utf8'))
    if (!json.summary?.figures) throw new Error('no summary.figures in it')
    return json
  } catch (error) {
    console.error(`compare: cannot read ${path}: ${error.message}`)
    process.exit(2)
  }
}

const a = load(first)
const b = load(second)
const show = (key, value) => {
  if (value == null) return 'n/a'
  const unit = unitOf(key)
  if (unit === 'ms') return formatMs(value)
  if (unit === 'bytes') return formatBytes(value)
  return value.toFixed(value >= 100 ? 0 : 2)
}

const rows = [['figure', `a (${a.plan.mode})`, `b (${b.plan.mode})`, 'b / a']]
for (const row of compareFigures(a.summary.figures, b.summary.figures)) {
  rows.push([row.key, show(row.key, row.a), show(row.key, row.b), formatRatio(row.ratio)])
}
console.log(
  `a: ${first}, started ${a.startedAt}, load ${a.machine.loadAtStart?.toFixed(2) ?? 'n/a'}`,
)
console.log(
  `b: ${second}, started ${b.startedAt}, load ${b.machine.loadAtStart?.toFixed(2) ?? 'n/a'}`,
)
console.log(renderTable(rows))
