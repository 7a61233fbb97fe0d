// Reads the project's Chromium flags from test/chromium.ts (TypeScript) under plain Node 20.
import { readFile } from 'node:fs/promises'
import ts from 'typescript'

/**
 * Transpiles test/chromium.ts in memory and imports it, so the bench launches Chromium with
 * exactly the flags the tests use.
 *
 * @param {string} path absolute path of test/chromium.ts
 * @returns {Promise<{ CHROMIUM_ARGS: string[], CHROMIUM_PATH: string }>}
 */
export async function loadChromiumConfig(path) {
  const source = await readFile(path, 'utf8')
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    fileName: path,
  })
  const url = `data:text/javascript;base64,${Buffer.from(outputText).toString('base64')}`
  return import(url)
}
