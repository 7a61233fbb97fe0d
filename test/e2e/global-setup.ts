import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string
    devToken: string
    adminToken: string
  }
}

const root = fileURLToPath(new URL('../..', import.meta.url))

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

async function waitForHealth(baseUrl: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${baseUrl}/v1/health`)
      if (res.ok) return
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`the server at ${baseUrl} did not become healthy in time`)
}

/**
 * Starts the app exactly as `npm start` does (build, then `wrangler dev`), on a free port with
 * fresh local storage, and hands its address and tokens to the tests.
 */
export default async function setup(project: TestProject) {
  const port = await freePort()
  const persistDir = mkdtempSync(join(tmpdir(), 'quire-e2e-'))
  const devToken = 'e2e-dev-token'
  const adminToken = 'e2e-admin-token'
  const server = spawn(process.execPath, [join(root, 'scripts/start.mjs')], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      QUIRE_DEV_TOKEN: devToken,
      QUIRE_ADMIN_TOKEN: adminToken,
      QUIRE_PERSIST_DIR: persistDir,
    },
  })
  let log = ''
  server.stdout?.on('data', (chunk) => (log += chunk))
  server.stderr?.on('data', (chunk) => (log += chunk))

  const baseUrl = `http://127.0.0.1:${port}`
  try {
    await waitForHealth(baseUrl, Date.now() + 150_000)
  } catch (error) {
    if (server.pid) process.kill(-server.pid, 'SIGTERM')
    throw new Error(`${(error as Error).message}\n--- server output ---\n${log}`)
  }

  project.provide('baseUrl', baseUrl)
  project.provide('devToken', devToken)
  project.provide('adminToken', adminToken)

  return async () => {
    if (server.pid) {
      try {
        process.kill(-server.pid, 'SIGTERM')
      } catch {
        // Already gone.
      }
    }
    rmSync(persistDir, { recursive: true, force: true })
  }
}
