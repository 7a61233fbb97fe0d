// The native references: libvips and poppler command-line tools, found or installed, and timed.
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { summarize } from './stats.mjs'

export const TOOLS = ['vipsthumbnail', 'vipsheader', 'pdftoppm', 'pdftotext', 'pdfinfo']
const PACKAGES = ['libvips-tools', 'poppler-utils']

/** Whether `command` is on the PATH. */
export function hasCommand(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0
}

/**
 * Makes sure the native tools are there: installs libvips-tools and poppler-utils with apt-get
 * when one is missing and we are root. Never throws; returns what is usable and what is not.
 *
 * @param {(line: string) => void} print
 * @returns {{ available: Record<string, boolean>, versions: Record<string, string>, notes: string[] }}
 */
export function ensureNativeTools(print) {
  const notes = []
  const missing = () => TOOLS.filter((tool) => !hasCommand(tool))
  if (missing().length > 0) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
    if (!isRoot) {
      notes.push(
        `missing ${missing().join(', ')}; not root, so cannot apt-get install ${PACKAGES.join(' ')}`,
      )
    } else if (!hasCommand('apt-get')) {
      notes.push(`missing ${missing().join(', ')}; apt-get is not available to install them`)
    } else {
      print(`bench: installing ${PACKAGES.join(' ')} (missing: ${missing().join(', ')})`)
      const result = spawnSync('apt-get', ['install', '-y', ...PACKAGES], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
        timeout: 300_000,
      })
      if (result.status !== 0) {
        const reason = String(result.stderr ?? result.error ?? '')
          .trim()
          .split('\n')
          .pop()
        notes.push(`apt-get install ${PACKAGES.join(' ')} failed: ${reason}`)
      }
    }
  }
  const available = Object.fromEntries(TOOLS.map((tool) => [tool, hasCommand(tool)]))
  for (const tool of TOOLS) {
    if (!available[tool]) notes.push(`${tool} unavailable: its native reference is skipped`)
  }
  const versions = {}
  if (available.vipsthumbnail) versions.libvips = firstLine(run('vips', ['--version']))
  if (available.pdftoppm)
    versions.poppler = firstLine(run('pdftoppm', ['-v'])).replace(/^pdftoppm /, '')
  return { available, versions, notes }
}

function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' })
  return `${result.stdout ?? ''}${result.stderr ?? ''}`
}

function firstLine(text) {
  return text.trim().split('\n')[0] ?? ''
}

/**
 * Wall time of one command, `repeats` times after one untimed warm-up (which also fills the
 * page cache). Throws when the command fails, with its stderr.
 *
 * @returns {number[]} milliseconds
 */
export function timeCommand(command, args, { repeats, env = {} }) {
  const samples = []
  for (let run = 0; run <= repeats; run += 1) {
    const start = process.hrtime.bigint()
    const result = spawnSync(command, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...env },
      timeout: 600_000,
    })
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    if (result.status !== 0) {
      throw new Error(`${command} ${args.join(' ')} failed: ${String(result.stderr).trim()}`)
    }
    if (run > 0) samples.push(ms)
  }
  return samples
}

/**
 * Times the native reference for every input: vipsthumbnail to a 256 WebP (with libvips'
 * default threads, and pinned to one thread for the per-core figure), pdftoppm for a 256 PNG
 * of page 1 and pdftotext for the full text.
 *
 * @param {readonly { id: string, path: string, kind: 'image' | 'pdf' }[]} inputs
 * @param {{ repeats: number, workDir: string, available: Record<string, boolean> }} options
 */
export function measureNative(inputs, { repeats, workDir, available }) {
  mkdirSync(workDir, { recursive: true })
  const results = {}
  for (const input of inputs) {
    const entry = { error: null }
    try {
      if (input.kind === 'image' && available.vipsthumbnail) {
        const out = join(workDir, `${input.id}.webp`)
        const args = [input.path, '--size', '256', '-o', out]
        entry.thumbnailMs = summarize(timeCommand('vipsthumbnail', args, { repeats }))
        entry.thumbnailPerCoreMs = summarize(
          timeCommand('vipsthumbnail', args, { repeats, env: { VIPS_CONCURRENCY: '1' } }),
        )
      }
      if (input.kind === 'pdf' && available.pdftoppm) {
        const prefix = join(workDir, input.id)
        const args = ['-r', '72', '-f', '1', '-l', '1', '-singlefile', '-scale-to', '256', '-png']
        entry.page1Ms = summarize(
          timeCommand('pdftoppm', [...args, input.path, prefix], { repeats }),
        )
      }
      if (input.kind === 'pdf' && available.pdftotext) {
        const out = join(workDir, `${input.id}.txt`)
        entry.textMs = summarize(timeCommand('pdftotext', [input.path, out], { repeats }))
      }
    } catch (error) {
      entry.error = error instanceof Error ? error.message : String(error)
    }
    results[input.id] = entry
  }
  rmSync(workDir, { recursive: true, force: true })
  return results
}
