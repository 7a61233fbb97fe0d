import { createHash } from 'node:crypto'
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import type { Plugin, ResolvedConfig } from 'vite'

export interface PrecacheOptions {
  /** The service worker source, built as its own entry to `/sw.js`. */
  entry: string
  /** Output name of the service worker. */
  fileName?: string
  /** Output files left out of the manifest (source maps and the like). */
  exclude?: RegExp
}

/**
 * Builds the service worker as its own entry and, once the build is written, replaces
 * `__QUIRE_PRECACHE__` in it with every output file (app chunks, worker chunks, WASM, the public
 * folder with pdf.js assets) and a version hashed from their contents.
 */
export function precache(options: PrecacheOptions): Plugin {
  const fileName = options.fileName ?? 'sw.js'
  const exclude = options.exclude ?? /\.map$|^\.vite\//
  let config: ResolvedConfig

  return {
    name: 'quire:precache',
    apply: 'build',
    configResolved(resolved) {
      config = resolved
    },
    buildStart() {
      this.emitFile({ type: 'chunk', id: options.entry, fileName, preserveSignature: false })
    },
    writeBundle: {
      sequential: true,
      order: 'post',
      handler() {
        const outDir = config.build.outDir
        const hash = createHash('sha256')
        const urls: string[] = []
        for (const file of walk(outDir).sort()) {
          const name = relative(outDir, file).split(sep).join('/')
          if (name === fileName || exclude.test(name)) continue
          // The shell is precached under `/`, the URL the static server answers without a redirect.
          urls.push(name === 'index.html' ? '/' : `/${name}`)
          hash.update(name).update(readFileSync(file))
        }
        const manifest = { version: hash.digest('hex').slice(0, 16), urls }
        const swPath = join(outDir, fileName)
        const source = readFileSync(swPath, 'utf8')
        if (!source.includes('__QUIRE_PRECACHE__')) {
          this.error(`${fileName} does not reference __QUIRE_PRECACHE__; nothing to fill in`)
        }
        writeFileSync(swPath, source.replaceAll('__QUIRE_PRECACHE__', JSON.stringify(manifest)))
      },
    },
  }
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })
}
