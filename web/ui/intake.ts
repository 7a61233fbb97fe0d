import { h } from './dom'

const ACCEPT = 'image/*,application/pdf,.pdf,.heic,.heif,.avif'
/** A folder holds all sorts; only what looks like an image or a PDF is taken from it. */
const LIKELY = /\.(jpe?g|png|webp|gif|avif|heic|heif|pdf)$/i

/**
 * Every way files come in: the picker, a folder picker, paste, and a drop anywhere on the
 * window. Each hands a list of Files to `onFiles` at once.
 */
export class Intake {
  readonly element: HTMLElement
  readonly #onFiles: (files: File[]) => void
  readonly #overlay: HTMLElement
  #depth = 0

  constructor(onFiles: (files: File[]) => void) {
    this.#onFiles = onFiles
    const files = h('input', {
      type: 'file',
      id: 'file-input',
      multiple: true,
      accept: ACCEPT,
      'data-testid': 'file-input',
      class: 'visually-hidden',
      tabindex: -1,
      'aria-hidden': 'true',
    })
    const folder = h('input', {
      type: 'file',
      id: 'folder-input',
      multiple: true,
      webkitdirectory: true,
      class: 'visually-hidden',
      tabindex: -1,
      'aria-hidden': 'true',
    })
    files.addEventListener('change', () => this.#take([...(files.files ?? [])], files))
    folder.addEventListener('change', () =>
      this.#take(
        [...(folder.files ?? [])].filter((f) => LIKELY.test(f.name)),
        folder,
      ),
    )
    this.element = h(
      'section',
      { class: 'intake', 'aria-label': 'Add files' },
      h('p', { class: 'intake-hint' }, 'Drop photos and PDFs anywhere, paste them, or '),
      h(
        'div',
        { class: 'row' },
        h(
          'button',
          { type: 'button', class: 'primary', onclick: () => files.click() },
          'Choose files',
        ),
        h('button', { type: 'button', onclick: () => folder.click() }, 'Choose a folder'),
      ),
      files,
      folder,
    )
    this.#overlay = h(
      'div',
      { class: 'drop-overlay', hidden: true, 'aria-hidden': 'true' },
      'Drop to add',
    )
    document.body.append(this.#overlay)
    window.addEventListener('dragenter', (event) => this.#drag(event, 1))
    window.addEventListener('dragleave', (event) => this.#drag(event, -1))
    window.addEventListener('dragover', (event) => {
      if (!hasFiles(event)) return
      event.preventDefault()
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy'
    })
    window.addEventListener('drop', (event) => void this.#drop(event))
    document.addEventListener('paste', (event) => {
      const pasted = [...(event.clipboardData?.files ?? [])]
      if (pasted.length === 0) return
      event.preventDefault()
      this.#onFiles(pasted)
    })
  }

  #take(list: File[], input: HTMLInputElement): void {
    if (list.length) this.#onFiles(list)
    // Reset so choosing the same files again fires `change`.
    input.value = ''
  }

  #drag(event: DragEvent, step: number): void {
    if (!hasFiles(event)) return
    this.#depth = Math.max(0, this.#depth + step)
    this.#overlay.hidden = this.#depth === 0
  }

  async #drop(event: DragEvent): Promise<void> {
    if (!hasFiles(event)) return
    event.preventDefault()
    this.#depth = 0
    this.#overlay.hidden = true
    const items = [...(event.dataTransfer?.items ?? [])]
    // Entries must be taken synchronously, before the DataTransfer goes stale.
    const entries = items.map((item) => item.webkitGetAsEntry?.()).filter((e) => e != null)
    const plain = [...(event.dataTransfer?.files ?? [])]
    if (entries.length === 0 || !entries.some((e) => e.isDirectory)) {
      if (plain.length) this.#onFiles(plain)
      return
    }
    const out: File[] = []
    for (const entry of entries) await collect(entry, out, entry.isDirectory)
    if (out.length) this.#onFiles(out)
  }
}

function hasFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false
}

async function collect(entry: FileSystemEntry, out: File[], fromFolder: boolean): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject),
    ).catch(() => undefined)
    if (file && (!fromFolder || LIKELY.test(file.name))) out.push(file)
    return
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader()
  // readEntries answers in batches (100 in Chromium) until it returns an empty list.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    ).catch(() => [])
    if (batch.length === 0) return
    for (const child of batch) await collect(child, out, true)
  }
}
