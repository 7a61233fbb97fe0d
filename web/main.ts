import { truncateUtf8 } from '../wasm/shared/utf8'
import { API_TEXT_LIMIT, ApiClient } from './api/client'
import { Workspaces } from './api/workspaces'
import { createProcessor } from './jobs/processor'
import { Outbox } from './sync/outbox'
import { Announcer } from './ui/announcer'
import { BatchProgress } from './ui/batch-progress'
import { ConvertDialog } from './ui/convert-dialog'
import { Dialog } from './ui/dialog'
import { h } from './ui/dom'
import { Grid } from './ui/grid'
import { Intake } from './ui/intake'
import { OutboxIndicator } from './ui/outbox-status'
import { askPassword } from './ui/password-prompt'
import { RenderWorker } from './ui/render-worker'
import { Search } from './ui/search'
import { Thumbnails } from './ui/thumbnails'
import { Viewer } from './ui/viewer'
import { WorkspaceMenu } from './ui/workspace-menu'
import { registerErrorTransfer } from '../wasm/shared/errors'
import type { DocumentPut } from './api/client'
import type { Job, Processor } from './jobs/job'
import type { CardAction } from './ui/card'

const SIGNED_OUT_KEY = 'quire.signedOut'

registerErrorTransfer()
// Only in a build: the Vite dev server (with `import.meta.hot`) serves modules a worker must not
// pin. Not `import.meta.env.PROD`, which is false when a test runner builds with NODE_ENV=test.
if (!import.meta.hot && 'serviceWorker' in navigator) {
  // The worker precaches the whole build, so a reload or a worker start works offline.
  navigator.serviceWorker.register('/sw.js', { type: 'module', scope: '/' }).catch((error) => {
    console.warn('quire: service worker registration failed', error)
  })
  // Tests wait for this before cutting the network: from then on, fetches go through the cache.
  const mark = () => {
    if (navigator.serviceWorker.controller) document.documentElement.dataset.sw = 'ready'
  }
  navigator.serviceWorker.addEventListener('controllerchange', mark)
  mark()
}

const api = new ApiClient()
const workspaces = new Workspaces()
const announcer = new Announcer()

/** Finds the workspace to open: the stored one, else the development tenant on first start. */
async function session() {
  const stored = workspaces.current()
  if (stored || localStorage.getItem(SIGNED_OUT_KEY)) return stored
  const dev = await api.devSession().catch(() => undefined)
  if (dev) workspaces.connect(dev)
  return dev
}

function reloadInto(tenant: string): void {
  if (tenant) localStorage.removeItem(SIGNED_OUT_KEY)
  else localStorage.setItem(SIGNED_OUT_KEY, '1')
  location.reload()
}

/** The body of the metadata PUT for a finished job. */
async function documentBody(processor: Processor, job: Job) {
  const result = job.state === 'done' ? await processor.result(job.id) : undefined
  // Removed between finishing and now: nothing to send.
  if (job.state === 'done' && !result) return undefined
  const {
    sha256: _sha,
    textBytes: _bytes,
    ...meta
  } = result?.meta ?? {
    sha256: job.sha256,
    name: job.name,
    mime: job.mime,
    bytes: job.bytes,
    kind: job.kind,
    status: 'failed' as const,
    ...(job.error ? { error: job.error } : {}),
  }
  const body: DocumentPut = { ...meta, name: job.name }
  if (result?.text) {
    const { text, truncated } = truncateUtf8(result.text, API_TEXT_LIMIT)
    body.text = text
    if (truncated) body.textTruncated = true
  }
  return { body, thumbnail: result?.thumbnail }
}

async function boot(): Promise<void> {
  const current = await session()
  const outbox = new Outbox({ api, tokenFor: (tenant) => workspaces.tokenFor(tenant) })
  const indicator = new OutboxIndicator(() => {
    if (current) void outbox.dismissFailed(current.tenant)
  })
  const passwordDialog = new Dialog('password-dialog', 'narrow')
  let processor: Processor | undefined
  let jobs: readonly Job[] = []
  const menu = new WorkspaceMenu({
    api,
    workspaces,
    current: current?.tenant,
    onSwitch: reloadInto,
    clearLocal: async (tenant) => {
      await outbox.clearTenant(tenant)
      if (!processor || tenant !== current?.tenant) return
      for (const job of jobs) await processor.remove(job.id)
    },
  })
  const header = h(
    'header',
    { class: 'top' },
    h('h1', { class: 'brand' }, 'Quire'),
    menu.element,
    indicator.element,
  )
  const app = document.getElementById('app') ?? document.body
  app.replaceChildren(header, announcer.element)

  let asked = false
  outbox.subscribe((status) => {
    indicator.update(status)
    const refused = current !== undefined && status.unauthorized.includes(current.tenant)
    // Ask once per refusal, not on every later status change, so focus is not pulled away.
    if (refused && !asked) {
      menu.ask('The server refused this workspace token. Connect again to go on syncing.')
    }
    asked = refused
  })

  if (!current) {
    app.append(
      h(
        'main',
        { class: 'connect-first' },
        h('h2', {}, 'Connect to a workspace'),
        h('p', {}, 'Paste a workspace token in the Workspace menu above to start.'),
      ),
    )
    menu.toggle(true)
    const dev = await api.devSession().catch(() => undefined)
    if (dev) {
      const use = () => {
        workspaces.connect(dev)
        reloadInto(dev.tenant)
      }
      app
        .querySelector('.connect-first')
        ?.append(h('button', { type: 'button', onclick: use }, 'Use the development workspace'))
    }
    return
  }

  const proc = await createProcessor({ tenant: current.tenant })
  processor = proc
  const renderer = new RenderWorker()
  const dialog = new Dialog('viewer-dialog', 'wide')
  const convertDialog = new ConvertDialog({
    dialog,
    processor: proc,
    renderer,
    announce: (t) => announcer.say(t),
  })
  const viewer = new Viewer({
    dialog,
    processor: proc,
    renderer,
    onConvert: (job) => convertDialog.open([job]),
  })
  const thumbnails = new Thumbnails((id) => proc.thumbnail(id))
  const selection = new Set<string>()
  /** Jobs removed in this page, by id, with the creation time of the job that was removed. */
  const removed = new Map<string, number>()
  let filter = ''

  const onAction = (action: CardAction, job: Job) => {
    if (action === 'open') void viewer.open(job)
    if (action === 'cancel') void proc.cancel(job.id)
    if (action === 'remove') {
      selection.delete(job.id)
      removed.set(job.id, job.createdAt)
      void proc.remove(job.id)
      // Remove deletes the document from the workspace: the server's copy goes too, through the
      // outbox, so it happens once back online and survives a reload.
      outbox
        .enqueueDelete(current.tenant, job.sha256)
        .catch((error: unknown) => console.warn('quire: could not queue delete', job.name, error))
      announcer.say(`Removed ${job.name} from the workspace.`)
    }
    if (action === 'select') {
      if (selection.has(job.id)) selection.delete(job.id)
      else selection.add(job.id)
      updateSelection()
    }
    if (action === 'retry') void retry(job)
  }

  const retry = async (job: Job) => {
    const code = job.error?.code
    if (code === 'encrypted' || code === 'wrong_password') {
      const password = await askPassword(passwordDialog, job.name, code === 'wrong_password')
      if (password === undefined) return
      thumbnails.forget(job.id)
      return proc.retry(job.id, password)
    }
    thumbnails.forget(job.id)
    return proc.retry(job.id)
  }

  const grid = new Grid({ thumbnails, onAction, isSelected: (id) => selection.has(id) })
  const batch = new BatchProgress(
    (text) => announcer.say(text),
    () => void proc.cancelAll(),
  )
  const intake = new Intake((files) => {
    const at = Date.now()
    batch.begin(at)
    void proc.add(files).then((added) => {
      // Dedup hands back the job the workspace already had, created before this drop.
      const known = new Set(added.filter((job) => job.createdAt < at).map((job) => job.id))
      if (known.size) batch.alreadyHere(known.size)
    })
    announcer.say(`Adding ${files.length} ${files.length === 1 ? 'file' : 'files'}.`)
  })
  const search = new Search({
    api,
    token: () => workspaces.tokenFor(current.tenant),
    filterLocal: (query) => {
      filter = query.toLowerCase()
      showJobs()
    },
    open: (sha256) => {
      const job = jobs.find((j) => j.sha256 === sha256)
      if (job) void viewer.open(job)
      return job !== undefined
    },
  })

  const selectionCount = h('span', { class: 'selection-count' })
  const convertSelected = h(
    'button',
    {
      type: 'button',
      class: 'primary',
      onclick: () => convertDialog.open(jobs.filter((j) => selection.has(j.id))),
    },
    'Convert selected…',
  )
  const clearSelection = h(
    'button',
    { type: 'button', onclick: () => (selection.clear(), updateSelection()) },
    'Clear selection',
  )
  const convertible = () => jobs.filter((j) => j.kind === 'image' && j.state === 'done')
  const selectAll = h(
    'button',
    {
      type: 'button',
      onclick: () => {
        for (const job of convertible()) selection.add(job.id)
        updateSelection()
      },
    },
    'Select all images',
  )
  const selectionBar = h(
    'div',
    { class: 'selection row', hidden: true },
    selectAll,
    selectionCount,
    convertSelected,
    clearSelection,
  )
  const updateSelection = () => {
    const ids = new Set(jobs.map((j) => j.id))
    for (const id of selection) if (!ids.has(id)) selection.delete(id)
    selectionBar.hidden = convertible().length < 2 && selection.size === 0
    selectionCount.textContent = `${selection.size} selected`
    selectionCount.hidden = convertSelected.hidden = clearSelection.hidden = selection.size === 0
    grid.refresh()
  }

  const showJobs = () => {
    grid.setJobs(filter ? jobs.filter((job) => job.name.toLowerCase().includes(filter)) : jobs)
  }

  app.append(
    h(
      'main',
      { class: 'main' },
      h('div', { class: 'toolbar' }, intake.element, search.box),
      batch.element,
      selectionBar,
      search.results,
      h('h2', { class: 'visually-hidden' }, 'Documents'),
      grid.element,
    ),
  )

  // Every job that reaches done or failed goes to the outbox once; the outbox skips what the
  // server already has, so the pass after a reload only costs lookups. A job is named with its
  // creation time, so the same file removed and added again is a new job to send.
  const handled = new Set<string>()
  const handledKey = (job: Job) => `${job.id}@${job.createdAt}`
  let syncing = Promise.resolve()
  const syncFinished = (list: readonly Job[]) => {
    for (const job of list) {
      const key = handledKey(job)
      if (handled.has(key) || (job.state !== 'done' && job.state !== 'failed')) continue
      handled.add(key)
      syncing = syncing
        .then(async () => {
          const status = job.state === 'done' ? 'ready' : 'failed'
          if (await outbox.wasSent(current.tenant, job.sha256, status)) return
          const put = await documentBody(proc, job)
          // Removed while waiting here: its delete is queued, and this upsert must not follow it.
          if (!put || removed.get(job.id) === job.createdAt) return
          await outbox.enqueue(current.tenant, job.sha256, put.body, put.thumbnail)
        })
        .catch((error: unknown) => console.warn('quire: could not queue', job.name, error))
    }
  }

  proc.subscribe((list) => {
    const retried = list.filter((job) => job.state !== 'done' && job.state !== 'failed')
    for (const job of retried) handled.delete(handledKey(job))
    jobs = list
    showJobs()
    batch.update(list)
    syncFinished(list)
    updateSelection()
  })

  addEventListener('pagehide', () => {
    renderer.close()
  })
}

void boot()
