// Builds the web app and serves it with the API from `wrangler dev` on one local origin.
//
// PORT (8787) picks the port, QUIRE_DEV_TOKEN and QUIRE_ADMIN_TOKEN set the tokens (random and
// kept in .wrangler/ between starts otherwise), QUIRE_PERSIST_DIR moves the local Durable
// Object and R2 storage (.wrangler/state), QUIRE_SKIP_BUILD=1 serves the last build.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

const root = fileURLToPath(new URL('..', import.meta.url))
const port = Number(process.env.PORT ?? 8787)
const host = '127.0.0.1'

/** A token from the environment, else the one kept from the last start, else a new one. */
function token(envName, file) {
  if (process.env[envName]) return process.env[envName]
  const path = `${root}.wrangler/${file}`
  if (existsSync(path)) return readFileSync(path, 'utf8').trim()
  const fresh = `${file.replace(/-token$/, '')}_${randomBytes(24).toString('base64url')}`
  mkdirSync(`${root}.wrangler`, { recursive: true })
  writeFileSync(path, `${fresh}\n`, { mode: 0o600 })
  return fresh
}

const devToken = token('QUIRE_DEV_TOKEN', 'dev-token')
const adminToken = token('QUIRE_ADMIN_TOKEN', 'admin-token')

/** A port nobody listens on now, so two servers on one machine never share an inspector. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, host, () => {
      const { port: free } = probe.address()
      probe.close(() => resolve(free))
    })
  })
}

if (process.env.QUIRE_SKIP_BUILD !== '1') {
  await build({ configFile: `${root}vite.config.ts`, logLevel: 'warn' })
}

const args = [
  `${root}node_modules/wrangler/bin/wrangler.js`,
  'dev',
  '--ip',
  host,
  '--port',
  String(port),
  '--show-interactive-dev-session=false',
  '--inspector-port',
  String(await freePort()),
  '--persist-to',
  process.env.QUIRE_PERSIST_DIR ?? `${root}.wrangler/state`,
  '--var',
  'ENVIRONMENT:development',
  '--var',
  `QUIRE_DEV_TOKEN:${devToken}`,
  '--var',
  `QUIRE_ADMIN_TOKEN:${adminToken}`,
]
const server = spawn(process.execPath, args, {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  // The banner's update check would send a request off this machine; hide it. (wrangler dev
  // also tries to fetch Request.cf data once and logs ENOTFOUND on a closed network: harmless.)
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true' },
})

let announced = false
server.stdout.on('data', (chunk) => {
  process.stdout.write(chunk)
  if (!announced && String(chunk).includes('Ready on')) {
    announced = true
    console.log(`\nQuire is running at http://${host}:${port}`)
    console.log(`  development tenant token: ${devToken}`)
    console.log(`  admin token:               ${adminToken}\n`)
  }
})

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal))
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
