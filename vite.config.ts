import { cpSync, existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import type { Plugin } from 'vite'
import { precache } from './scripts/vite-precache.ts'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/**
 * pdf.js loads its CMaps, standard fonts and JPX/JBIG2 decoders by URL. Serving them from
 * our own origin (under /pdfjs/) keeps processing offline and off every other host.
 */
export function pdfjsAssets(): Plugin {
  const copy = () => {
    for (const folder of ['cmaps', 'standard_fonts', 'wasm', 'iccs']) {
      const from = here(`./node_modules/pdfjs-dist/${folder}`)
      const to = here(`./web/public/pdfjs/${folder}`)
      if (existsSync(from) && !existsSync(to)) cpSync(from, to, { recursive: true })
    }
  }
  copy()
  return { name: 'quire:pdfjs-assets', buildStart: copy }
}

/** Shared by the app build and the browser test project. */
export const appConfig = {
  worker: { format: 'es' as const },
  optimizeDeps: {
    exclude: ['@jsquash/avif', '@jsquash/jpeg', '@jsquash/png', '@jsquash/resize', '@jsquash/webp'],
    // Named up front: found later (inside a worker), each would make the dev server re-optimise
    // and reload the page mid-run, which fails whatever test is running at that moment.
    include: [
      'comlink',
      'fflate',
      'idb',
      'libheif-js/libheif-wasm/libheif-bundle.mjs',
      'pdfjs-dist',
      'pdfjs-dist/build/pdf.worker.mjs',
    ],
  },
}

export default defineConfig({
  ...appConfig,
  root: here('./web'),
  publicDir: here('./web/public'),
  plugins: [pdfjsAssets(), precache({ entry: here('./web/sw.ts') })],
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    headers: {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    },
  },
})
