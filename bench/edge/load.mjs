// `node bench/edge/load.mjs`: the edge API under load on this machine, over loopback only.
//
// Starts `wrangler dev` on 127.0.0.1 at a free port with its own temporary storage, creates
// tenants with the admin token, seeds one tenant with 10,000 documents, then drives bounded
// autocannon runs of metadata writes, reads and searches. Prints requests per second and
// p50/p99 latency per scenario and writes bench-results/edge.json. Stops the server at the end.
//
// Each scenario runs twice over the same number of connections:
// - paced, first: an open loop at EDGE_BENCH_RATE requests per second in all (100, a tenant's
//   default sustained rate limit), for the latency a tenant sees below saturation. The p99
//   targets (20 ms for metadata reads and writes, 50 ms for search) are checked against this
//   run: at saturation latency only measures the length of the queue the load tool builds;
// - saturated: autocannon, as fast as the server answers, for the most requests per second.
//
// EDGE_BENCH_DOCS (10000), EDGE_BENCH_REQUESTS (3000 per saturated scenario),
// EDGE_BENCH_CONNECTIONS (10), EDGE_BENCH_RATE (100) and EDGE_BENCH_PACED_SECONDS (10) change
// the size of the run.
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { Agent, request as httpRequest } from 'node:http'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'

const root = fileURLToPath(new URL('../..', import.meta.url))
const HOST = '127.0.0.1'
const SEED_DOCS = Number(process.env.EDGE_BENCH_DOCS ?? 10_000)
const REQUESTS = Number(process.env.EDGE_BENCH_REQUESTS ?? 3_000)
const CONNECTIONS = Number(process.env.EDGE_BENCH_CONNECTIONS ?? 10)
const RATE = Number(process.env.EDGE_BENCH_RATE ?? 100)
const PACED_SECONDS = Number(process.env.EDGE_BENCH_PACED_SECONDS ?? 10)
/** The p99 targets of the speed issue, in ms, checked on the paced runs. */
const P99_TARGET_MS = { metadata: 20, search: 50 }
const TENANTS = 8
/** Made-up words sprinkled into the seeded text, so some searches are selective. */
const RARE_WORDS = 3_000
const SEED_CONCURRENCY = 16
/** No scenario may run longer than this, whatever is left of its request count. */
const SCENARIO_TIMEOUT_S = 120
/** The whole run gives up after this. */
const RUN_DEADLINE_MS = 15 * 60_000

const WORDS = (
  'invoice receipt contract harbour lighthouse quarter revenue forecast budget minutes ' +
  'meeting report summary appendix schedule delivery payment balance audit review policy ' +
  'insurance claim customer supplier warehouse inventory shipment order refund tax salary ' +
  'pension account transfer loan mortgage deposit statement letter notice agreement lease'
).split(' ')

const wrangler = join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js')
// No metrics and no banner: the banner's update check would ask the npm registry.
const wranglerEnv = { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true' }
const adminToken = `bench-admin-${randomBytes(16).toString('hex')}`
const workDir = mkdtempSync(join(tmpdir(), 'quire-edge-bench-'))
let server
/** The end of wrangler's own output, shown when the run fails. */
let serverLog = ''

const deadline = setTimeout(
  () => fail(new Error('the run passed its 15-minute deadline')),
  RUN_DEADLINE_MS,
)
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => fail(new Error(signal)))

try {
  const port = await freePort()
  const base = `http://${HOST}:${port}`
  server = startServer(port)
  await waitForHealth(base, Date.now() + 120_000)
  console.log(`edge bench: wrangler dev is up at ${base}`)

  const tenants = []
  for (let i = 0; i < TENANTS; i++) tenants.push(await createTenant(base))
  const seeded = tenants[0]

  const seedStarted = performance.now()
  const seedRetries = await seed(base, seeded, SEED_DOCS)
  const seedSeconds = (performance.now() - seedStarted) / 1000
  console.log(
    `edge bench: seeded ${SEED_DOCS} documents in ${seedSeconds.toFixed(1)} s ` +
      `(${Math.round(SEED_DOCS / seedSeconds)} docs/s at concurrency ${SEED_CONCURRENCY})`,
  )

  const scenarios = {}
  const run = async (name, request, description) => {
    // Paced first: a saturated run leaves work behind (garbage, a longer SQLite log) that would
    // land on the paced requests that follow it.
    const paced = await pace(base, request)
    const result = await drive(base, request, { amount: REQUESTS })
    const target = name.startsWith('search')
      ? P99_TARGET_MS.search
      : name.includes('thumbnail')
        ? null
        : P99_TARGET_MS.metadata
    scenarios[name] = {
      description,
      ...result,
      paced: {
        rate: RATE,
        ...paced,
        p99TargetMs: target,
        met: target === null ? null : paced.p99 < target,
      },
    }
    if (name.startsWith('search')) {
      const sample = request.setupRequest({ method: 'GET', headers: {} })
      const res = await fetch(`${base}${sample.path.replace(/&limit=\d+/, '')}&limit=100`, {
        headers: sample.headers,
      })
      scenarios[name].sampleHits = (await res.json()).items.length
    }
    const verdict =
      target === null ? '' : `  ${paced.p99 < target ? 'met' : 'MISSED'} (p99 < ${target} ms)`
    console.log(
      `${name.padEnd(24)} saturated ${String(result.requestsPerSecond).padStart(5)} req/s  ` +
        `p50 ${String(result.p50).padStart(4)} ms  p99 ${String(result.p99).padStart(4)} ms  ` +
        `${result.ok}/${result.sent} ok\n${''.padEnd(24)} paced ${String(RATE).padStart(9)} req/s  ` +
        `p50 ${String(paced.p50).padStart(4)} ms  p99 ${String(paced.p99).padStart(4)} ms  ` +
        `${paced.ok}/${paced.sent} ok${verdict}`,
    )
  }

  let fresh = 0
  await run(
    'write-new-documents',
    {
      method: 'PUT',
      setupRequest: (req) => {
        fresh += 1
        const tenant = tenants[1 + (fresh % (TENANTS - 1))]
        return withAuth(
          { ...req, path: `/v1/documents/${shaFor(1_000_000 + fresh)}`, body: docJson(fresh) },
          tenant,
        )
      },
    },
    `PUT of a new document's metadata, spread over ${TENANTS - 1} tenants`,
  )
  await run(
    'write-repeat-idempotent',
    {
      method: 'PUT',
      setupRequest: (req) =>
        withAuth({ ...req, path: `/v1/documents/${shaFor(1)}`, body: docJson(1) }, seeded),
    },
    'PUT of a body the seeded tenant already has (200, no write)',
  )
  let reads = 0
  await run(
    'read-one-document',
    {
      method: 'GET',
      setupRequest: (req) => {
        reads += 1
        return withAuth({ ...req, path: `/v1/documents/${shaFor(reads % SEED_DOCS)}` }, seeded)
      },
    },
    `GET of one document in the tenant with ${SEED_DOCS} documents`,
  )
  await run(
    'read-list-page',
    {
      method: 'GET',
      setupRequest: (req) => withAuth({ ...req, path: '/v1/documents?limit=50' }, seeded),
    },
    'GET of the newest 50 documents',
  )
  let searches = 0
  await run(
    'search-common-words',
    {
      method: 'GET',
      setupRequest: (req) => {
        searches += 1
        const q = `${WORDS[searches % WORDS.length]} ${WORDS[(searches * 7) % WORDS.length]}`
        return withAuth({ ...req, path: `/v1/search?q=${encodeURIComponent(q)}&limit=20` }, seeded)
      },
    },
    `GET /v1/search, two words found in nearly all ${SEED_DOCS} documents: every one is ranked`,
  )
  let rare = 0
  await run(
    'search-rare-word',
    {
      method: 'GET',
      setupRequest: (req) => {
        rare += 1
        return withAuth(
          { ...req, path: `/v1/search?q=${rareWord((rare * 37) % RARE_WORDS)}&limit=20` },
          seeded,
        )
      },
    },
    `GET /v1/search, one word found in about 1% of ${SEED_DOCS} documents`,
  )
  let spread = 0
  await run(
    'search-many-tenants',
    {
      method: 'GET',
      setupRequest: (req) => {
        spread += 1
        const tenant = tenants[1 + (spread % (TENANTS - 1))]
        const q = WORDS[(spread * 13) % WORDS.length]
        return withAuth({ ...req, path: `/v1/search?q=${q}&limit=20` }, tenant)
      },
    },
    `GET /v1/search of one common word, spread over ${TENANTS - 1} tenants of ~${Math.round(REQUESTS / (TENANTS - 1))} documents`,
  )
  const thumbnail = webpBody(8 * 1024)
  let thumbs = 0
  await run(
    'write-thumbnail',
    {
      method: 'PUT',
      setupRequest: (req) => {
        thumbs += 1
        const path = `/v1/documents/${shaFor(thumbs % SEED_DOCS)}/thumbnail`
        return withAuth(
          {
            ...req,
            path,
            body: thumbnail,
            headers: { ...req.headers, 'content-type': 'image/webp' },
          },
          seeded,
          false,
        )
      },
    },
    'PUT of an 8 KiB WebP thumbnail to R2 (local) for a seeded document',
  )
  let thumbReads = 0
  await run(
    'read-thumbnail',
    {
      method: 'GET',
      setupRequest: (req) => {
        thumbReads += 1
        const n = 1 + (thumbReads % Math.min(REQUESTS, SEED_DOCS - 1))
        return withAuth({ ...req, path: `/v1/documents/${shaFor(n)}/thumbnail` }, seeded)
      },
    },
    'GET of an 8 KiB thumbnail',
  )

  const report = {
    tool:
      `${CONNECTIONS} connections; paced (open loop): ${RATE} req/s for ${PACED_SECONDS} s; ` +
      `saturated (autocannon): ${REQUESTS} requests per scenario`,
    server: 'wrangler dev (workerd, local SQLite Durable Objects and R2) on 127.0.0.1',
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', load: loadavg()[0] },
    finishedAt: new Date().toISOString(),
    tenants: TENANTS,
    seed: {
      documents: SEED_DOCS,
      seconds: round(seedSeconds),
      documentsPerSecond: Math.round(SEED_DOCS / seedSeconds),
      concurrency: SEED_CONCURRENCY,
      retriedAfter503: seedRetries,
    },
    scenarios,
  }
  mkdirSync(join(root, 'bench-results'), { recursive: true })
  writeFileSync(join(root, 'bench-results', 'edge.json'), `${JSON.stringify(report, null, 2)}\n`)
  console.log('edge bench: wrote bench-results/edge.json')
  await stop()
  clearTimeout(deadline)
} catch (error) {
  await fail(error)
}

/**
 * One autocannon run, bounded twice: `amount` requests, and SCENARIO_TIMEOUT_S seconds after
 * which it is stopped and marked `stoppedEarly`. Every connection sends its next request as
 * soon as the last is answered. A non-2xx answer counts as not ok.
 */
function drive(base, request, { amount }) {
  return new Promise((resolve, reject) => {
    let stoppedEarly = false
    const instance = autocannon(
      { url: base, connections: CONNECTIONS, amount, timeout: 10, requests: [request] },
      (error, result) => {
        clearTimeout(cap)
        if (error) return reject(error)
        resolve({
          sent: result.requests.sent,
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          stoppedEarly,
          seconds: round(result.duration),
          requestsPerSecond: Math.round(result.requests.total / Math.max(result.duration, 0.001)),
          p50: result.latency.p50,
          p90: result.latency.p90,
          p99: result.latency.p99,
          max: result.latency.max,
        })
      },
    )
    const cap = setTimeout(() => {
      stoppedEarly = true
      instance.stop()
    }, SCENARIO_TIMEOUT_S * 1000)
  })
}

/**
 * An open-loop run: request i is due at start + i / RATE seconds whether or not earlier ones
 * have been answered, over at most CONNECTIONS keep-alive sockets. (autocannon's own rate
 * option sends each second's budget in one burst, which measures a queue, not a tenant.)
 * Latency runs from the moment a request was due, so time spent waiting for a free socket
 * counts against the server.
 */
async function pace(base, template) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS })
  const total = RATE * PACED_SECONDS
  const latencies = []
  let ok = 0
  let errors = 0
  /** How many answers came back with each non-2xx status. */
  const statuses = {}
  const started = performance.now()
  const one = (i) =>
    new Promise((resolve) => {
      const due = started + (i * 1000) / RATE
      const { method, path, headers, body } = template.setupRequest({
        method: template.method,
        headers: {},
      })
      const length = body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }
      const options = { agent, method, headers: { ...headers, ...length } }
      const req = httpRequest(`${base}${path}`, options, (res) => {
        res.resume()
        res.on('end', () => {
          latencies.push(performance.now() - due)
          if (res.statusCode >= 200 && res.statusCode < 300) ok += 1
          else statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1
          resolve()
        })
      })
      req.setTimeout(10_000, () => req.destroy(new Error('timed out')))
      req.on('error', () => {
        errors += 1
        resolve()
      })
      req.end(body)
    })
  const pending = []
  for (let i = 0; i < total; i++) {
    const wait = started + (i * 1000) / RATE - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    pending.push(one(i))
  }
  await Promise.all(pending)
  agent.destroy()
  latencies.sort((a, b) => a - b)
  const at = (q) =>
    round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))])
  return {
    sent: total,
    ok,
    non2xx: statuses,
    errors,
    seconds: round((performance.now() - started) / 1000),
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: round(latencies.at(-1)),
  }
}

function withAuth(req, tenant, json = true) {
  return {
    ...req,
    headers: {
      ...req.headers,
      authorization: `Bearer ${tenant.token}`,
      ...(req.body && json ? { 'content-type': 'application/json' } : {}),
    },
  }
}

/**
 * Seeds `count` documents with a bounded number of requests in flight. The PUT is idempotent,
 * so a 503 from wrangler dev ("worker restarted mid-request") is retried up to 3 times.
 */
async function seed(base, tenant, count) {
  let next = 0
  let retries = 0
  const put = (n) =>
    fetch(`${base}/v1/documents/${shaFor(n)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${tenant.token}`, 'content-type': 'application/json' },
      body: docJson(n),
    })
  const worker = async () => {
    while (next < count) {
      const n = next++
      let res = await put(n)
      for (let attempt = 1; res.status === 503 && attempt <= 3; attempt++) {
        retries += 1
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt))
        res = await put(n)
      }
      if (res.status !== 201 && res.status !== 200) {
        throw new Error(`seeding document ${n} answered ${res.status}: ${await res.text()}`)
      }
    }
  }
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker))
  return retries
}

/**
 * A PDF's metadata with about 1 KB of text: 120 words from the common vocabulary (each in
 * nearly every document) and 30 from RARE_WORDS made-up words (each in about 1% of them).
 */
function docJson(n) {
  const words = []
  let x = n + 1
  for (let i = 0; i < 150; i++) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648
    // The high bits: an LCG's low bits repeat with a short period.
    const r = Math.floor(x / 65_536)
    words.push(i % 5 === 4 ? rareWord(r % RARE_WORDS) : WORDS[r % WORDS.length])
  }
  return JSON.stringify({
    name: `${WORDS[n % WORDS.length]}-${n}.pdf`,
    mime: 'application/pdf',
    bytes: 10_000 + n,
    kind: 'pdf',
    status: 'ready',
    pages: 1 + (n % 12),
    title: `Document ${n}`,
    text: words.join(' '),
    textTruncated: false,
  })
}

/** A made-up word such as `zelokar`, the same for the same number. */
function rareWord(n) {
  const syllables = ['ka', 'lo', 'mi', 'ru', 'ze', 'ta', 'vo', 'ni', 'qu', 'be', 'sa', 'do']
  let word = 'z'
  for (let k = n + RARE_WORDS; k > 0; k = Math.floor(k / syllables.length)) {
    word += syllables[k % syllables.length]
  }
  return word
}

/** A valid WebP container of `size` bytes (a VP8L chunk of filler). */
function webpBody(size) {
  const bytes = Buffer.alloc(size)
  bytes.write('RIFF', 0, 'latin1')
  bytes.writeUInt32LE(size - 8, 4)
  bytes.write('WEBPVP8L', 8, 'latin1')
  bytes.writeUInt32LE(size - 20, 16)
  return bytes
}

function shaFor(n) {
  return n.toString(16).padStart(64, '0')
}

async function createTenant(base) {
  const res = await fetch(`${base}/v1/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    // The bench measures throughput, so the tenants get room past the default rate limit.
    body: JSON.stringify({
      limits: { documents: 1_000_000, ratePerSecond: 100_000, burst: 100_000 },
    }),
  })
  if (res.status !== 201) throw new Error(`creating a tenant answered ${res.status}`)
  return res.json()
}

/**
 * Bundles the Worker once into the temporary folder, then serves that bundle without watching
 * the source, so an edit in the tree during the run cannot restart the server mid-request.
 */
function startServer(port) {
  const config = (main) =>
    JSON.stringify({
      name: 'quire-edge-bench',
      main,
      compatibility_date: '2026-04-01',
      send_metrics: false,
      durable_objects: { bindings: [{ name: 'TENANTS', class_name: 'TenantStore' }] },
      migrations: [{ tag: 'v1', new_sqlite_classes: ['TenantStore'] }],
      r2_buckets: [{ binding: 'THUMBNAILS', bucket_name: 'quire-thumbnails' }],
      vars: { ENVIRONMENT: 'bench' },
    })
  const buildConfig = join(workDir, 'build.jsonc')
  const serveConfig = join(workDir, 'wrangler.jsonc')
  writeFileSync(buildConfig, config(join(root, 'edge', 'index.ts')))
  writeFileSync(serveConfig, config(join(workDir, 'build', 'index.js')))
  const built = spawnSync(
    process.execPath,
    [wrangler, 'deploy', '--dry-run', '--outdir', join(workDir, 'build'), '--config', buildConfig],
    { cwd: workDir, encoding: 'utf8', env: wranglerEnv, timeout: 120_000 },
  )
  if (built.status !== 0) throw new Error(`bundling the Worker failed:\n${built.stderr}`)

  const child = spawn(
    process.execPath,
    [
      wrangler,
      'dev',
      '--no-bundle',
      '--config',
      serveConfig,
      '--ip',
      HOST,
      '--port',
      String(port),
      '--persist-to',
      join(workDir, 'state'),
      '--var',
      `QUIRE_ADMIN_TOKEN:${adminToken}`,
      '--log-level',
      'warn',
      '--show-interactive-dev-session=false',
    ],
    {
      cwd: workDir,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: wranglerEnv,
    },
  )
  child.stderr.on('data', (chunk) => {
    serverLog = (serverLog + chunk).slice(-4000)
  })
  child.on('exit', (code) => {
    if (server === child && !child.stopping) fail(new Error(`wrangler dev exited (${code})`))
  })
  return child
}

async function stop() {
  const child = server
  if (child && child.exitCode === null && child.signalCode === null) {
    child.stopping = true
    const exited = new Promise((resolve) => child.once('exit', resolve))
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 5_000)
    if (signalGroup(child, 'SIGTERM')) await exited
    clearTimeout(timer)
  }
  rmSync(workDir, { recursive: true, force: true })
}

/** Signals the server's own process group (wrangler and its workerd); false if it is gone. */
function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal)
    return true
  } catch {
    return false
  }
}

async function fail(error) {
  console.error(`edge bench: ${error instanceof Error ? error.message : error}`)
  if (serverLog) console.error(`--- wrangler dev, last lines ---\n${serverLog}`)
  await stop()
  process.exit(1)
}

async function waitForHealth(base, until) {
  while (Date.now() < until) {
    try {
      if ((await fetch(`${base}/v1/health`)).ok) return
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error('wrangler dev did not answer /v1/health in time')
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, HOST, () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

function round(value) {
  return Math.round(value * 10) / 10
}
