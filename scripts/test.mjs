// Runs every test tier in one `vitest run` (unit, browser, edge, e2e) after the static
// checks, then prints the line CI reads: `N passed, N failed`.
//
// Arguments after `--` go to vitest (e.g. `npm test -- --project edge`).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const extra = process.argv.slice(2)
let passed = 0
let failed = 0
let skipped = 0

function run(command, args, options = {}) {
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options }).status ?? 1
}

/** Installs Debian's Chromium when it is missing and we may; says how otherwise. */
function ensureChromium() {
  if (existsSync(chromium)) return true
  const canApt = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')
  if (canApt) {
    console.log(`Chromium is missing at ${chromium}; installing Debian's chromium package…`)
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    run('apt-get', ['update', '-qq'], { env })
    run('apt-get', ['install', '-y', '-qq', 'chromium'], { env })
  }
  if (existsSync(chromium)) return true
  console.error(
    [
      `Chromium was not found at ${chromium}.`,
      'Install it with: sudo apt-get install -y chromium',
      'or point CHROMIUM_PATH at a Chromium or Chrome binary.',
    ].join('\n'),
  )
  return false
}

/** A check outside vitest counts as one test. */
function check(name, command, args) {
  console.log(`\n▶ ${name}`)
  if (run(command, args) === 0) passed += 1
  else {
    failed += 1
    console.error(`✗ ${name} failed`)
  }
}

if (!ensureChromium()) {
  console.log('0 passed, 1 failed')
  process.exit(1)
}

const bin = (name) => `${root}node_modules/.bin/${name}`
if (extra.length === 0) {
  check('format (prettier --check)', bin('prettier'), ['--check', '.', '--log-level', 'warn'])
  check('types (npm run typecheck)', 'npm', ['run', '--silent', 'typecheck'])
}

const report = `${root}test-results/vitest.json`
mkdirSync(`${root}test-results`, { recursive: true })
rmSync(report, { force: true })
const status = run(bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...extra,
])

if (existsSync(report)) {
  const result = JSON.parse(readFileSync(report, 'utf8'))
  passed += result.numPassedTests
  failed += result.numFailedTests
  skipped += result.numPendingTests + result.numTodoTests
  // A file that fails to load has no tests of its own to count: count it once.
  const brokenFiles = result.testResults.filter(
    (file) => file.status === 'failed' && file.assertionResults.length === 0,
  )
  failed += brokenFiles.length
  if (status !== 0 && failed === 0) failed = 1
} else {
  failed += 1
}

// Tests that need ../shared/corpus or ../shared/cases are skipped when those are absent.
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(failed === 0 ? 0 : 1)
