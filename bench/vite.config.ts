import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import { appConfig, pdfjsAssets } from '../vite.config.ts'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/**
 * The bench page: the app's workers and codecs behind a page that exposes timing entry points.
 * Built into bench-results/site, never into dist/. BENCH_OUT_DIR moves it.
 */
// The bench times the pipeline, not the build: no bundler timing warnings on a busy machine,
// neither for the page nor for the worker bundle built inside it.
const quietChecks = { checks: { bundlerTimings: false } }

export default defineConfig({
  ...appConfig,
  worker: { ...appConfig.worker, rolldownOptions: quietChecks },
  root: here('./page'),
  publicDir: here('../web/public'),
  plugins: [pdfjsAssets()],
  logLevel: 'warn',
  build: {
    outDir: process.env.BENCH_OUT_DIR ?? here('../bench-results/site'),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    // Readable function names in long-animation-frame attributions; the JIT does not care.
    minify: false,
    rolldownOptions: quietChecks,
  },
})
