// Decides whether the bench page must be rebuilt: only when a source is newer than the build.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The newest modification time (ms) among `paths`, walking folders (whose own times change
 * when a file is added or removed) and skipping any path in `skip`.
 *
 * @param {readonly string[]} paths
 * @param {ReadonlySet<string>} skip
 */
export function newestMtime(paths, skip = new Set()) {
  let newest = 0
  const visit = (path) => {
    if (skip.has(path)) return
    let stat
    try {
      stat = statSync(path)
    } catch {
      return
    }
    newest = Math.max(newest, stat.mtimeMs)
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) visit(join(path, name))
    }
  }
  for (const path of paths) visit(path)
  return newest
}

const STAMP = '.bench-built-at'

/** Whether any source changed since the build in `siteDir` started (or there is none). */
export function buildIsStale(siteDir, sources, skip) {
  let builtAt
  try {
    builtAt = Number(readFileSync(join(siteDir, STAMP), 'utf8'))
  } catch {
    return true
  }
  return !Number.isFinite(builtAt) || newestMtime(sources, skip) >= builtAt
}

/** Records when a successful build into `siteDir` started. */
export function markBuilt(siteDir, startedAt) {
  writeFileSync(join(siteDir, STAMP), String(startedAt))
}
