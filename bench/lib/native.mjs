// The native references: libvips and poppler command-line tools, found or installed, and timed.
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'

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
 * The native reference commands for one input: vipsthumbnail to a 256 WebP (with libvips'
 * default threads, and pinned to one thread for the per-core figure), pdftoppm for a 256 PNG
 * of page 1 and pdftotext for the full text.
 *
 * @param {{ id: string, path: string, kind: 'image' | 'pdf' }} input
 * @param {string} workDir where outputs go
 * @param {Record<string, boolean>} available
 * @returns {{ key: string, command: string, args: string[], env: Record<string, string> }[]}
 */
export function nativeCommands(input, workDir, available) {
  mkdirSync(workDir, { recursive: true })
  const commands = []
  if (input.kind === 'image' && available.vipsthumbnail) {
    const args = [input.path, '--size', '256', '-o', join(workDir, `${input.id}.webp`)]
    commands.push({ key: 'thumbnailMs', command: 'vipsthumbnail', args, env: {} })
    commands.push({
      key: 'thumbnailPerCoreMs',
      command: 'vipsthumbnail',
      args,
      env: { VIPS_CONCURRENCY: '1' },
    })
  }
  if (input.kind === 'pdf' && available.pdftoppm) {
    const options = ['-r', '72', '-f', '1', '-l', '1', '-singlefile', '-scale-to', '256', '-png']
    const args = [...options, input.path, join(workDir, input.id)]
    commands.push({ key: 'page1Ms', command: 'pdftoppm', args, env: {} })
  }
  if (input.kind === 'pdf' && available.pdftotext) {
    const args = [input.path, join(workDir, `${input.id}.txt`)]
    commands.push({ key: 'textMs', command: 'pdftotext', args, env: {} })
  }
  return commands
}

/**
 * Wall time of one run of a command, in milliseconds. Throws when it fails, with its stderr.
 *
 * @param {{ command: string, args: string[], env: Record<string, string> }} command
 */
export function timeOnce({ command, args, env }) {
  const start = process.hrtime.bigint()
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
    timeout: 600_000,
  })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (result.status !== 0) {
    const why = String(result.stderr || result.error || result.signal).trim()
    throw new Error(`${command} ${args.join(' ')} failed: ${why}`)
  }
  return ms
}

/** Removes the native tools' outputs. */
export function clearNativeOutputs(workDir) {
  rmSync(workDir, { recursive: true, force: true })
}
