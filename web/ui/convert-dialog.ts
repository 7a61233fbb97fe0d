import { zipSync } from 'fflate'
import { errorText } from '../errors'
import { download, h } from './dom'
import type { Dialog } from './dialog'
import type { RenderWorker } from './render-worker'
import type { Job, Processor } from '../jobs/job'
import type { ConvertFormat } from '../../wasm/api'

const FORMATS: [ConvertFormat, string, string][] = [
  ['webp', 'WebP', 'webp'],
  ['jpeg', 'JPEG', 'jpg'],
  ['png', 'PNG (lossless)', 'png'],
  ['avif', 'AVIF', 'avif'],
]
const SIDES = [0, 4096, 2048, 1024, 512]

export interface ConvertOptions {
  dialog: Dialog
  processor: Processor
  renderer: RenderWorker
  announce(text: string): void
}

/** Converts one image or a selection; one file downloads as is, several as a zip. */
export class ConvertDialog {
  readonly #options: ConvertOptions

  constructor(options: ConvertOptions) {
    this.#options = options
  }

  open(jobs: readonly Job[]): void {
    const images = jobs.filter((job) => job.kind === 'image' && job.state === 'done')
    if (images.length === 0) return
    const format = h('select', { id: 'convert-format' })
    for (const [value, label] of FORMATS) format.append(h('option', { value }, label))
    const quality = h('input', {
      type: 'range',
      id: 'convert-quality',
      min: 1,
      max: 100,
      value: 80,
    })
    const qualityOut = h('output', { for: 'convert-quality' }, '80')
    quality.addEventListener('input', () => (qualityOut.value = quality.value))
    const side = h('select', { id: 'convert-side' })
    for (const value of SIDES) {
      side.append(h('option', { value }, value ? `Fit in ${value} px` : 'Original size'))
    }
    format.addEventListener('change', () => (quality.disabled = format.value === 'png'))
    const status = h('p', { role: 'status', class: 'convert-status' })
    const submit = h(
      'button',
      { type: 'submit', class: 'primary' },
      images.length > 1 ? `Convert ${images.length} images` : 'Convert',
    )
    const form = h(
      'form',
      { class: 'stack' },
      h(
        'p',
        {},
        images.length === 1 ? images[0]!.name : `${images.length} images, downloaded as a zip`,
      ),
      h('label', { for: 'convert-format' }, 'Format'),
      format,
      h('label', { for: 'convert-quality' }, 'Quality ', qualityOut),
      quality,
      h('label', { for: 'convert-side' }, 'Long side'),
      side,
      h('div', { class: 'row' }, submit),
      status,
    )
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      submit.disabled = true
      void this.#run(
        images,
        format.value as ConvertFormat,
        Number(quality.value),
        Number(side.value),
        status,
      ).finally(() => (submit.disabled = false))
    })
    this.#options.dialog.show('Convert and download', [form])
    format.focus()
  }

  async #run(
    images: Job[],
    format: ConvertFormat,
    quality: number,
    maxSide: number,
    status: HTMLElement,
  ): Promise<void> {
    const ext = FORMATS.find(([value]) => value === format)?.[2] ?? format
    const files: Record<string, Uint8Array> = {}
    const failures: string[] = []
    let last: Blob | undefined
    let lastName = ''
    for (const [index, job] of images.entries()) {
      status.textContent = `Converting ${index + 1} of ${images.length}…`
      try {
        const original = await this.#options.processor.original(job.id)
        if (!original) throw new Error('the original is no longer stored')
        const rendition = await this.#options.renderer.convert(original, {
          format,
          quality,
          maxPixels: 100e6,
          ...(maxSide ? { maxSide } : {}),
        })
        lastName = uniqueName(files, `${job.name.replace(/\.[^.]*$/, '')}.${ext}`)
        files[lastName] = new Uint8Array(rendition.bytes)
        last = new Blob([rendition.bytes], { type: rendition.mime })
      } catch (error) {
        const code = (error as { code?: string }).code
        failures.push(`${job.name}: ${code ? errorText(code) : (error as Error).message}`)
      }
    }
    const count = Object.keys(files).length
    if (count === 1 && last) download(last, lastName)
    // Images are already compressed: store them in the zip as they are.
    if (count > 1)
      download(
        new Blob([zipSync(files, { level: 0 })], { type: 'application/zip' }),
        'quire-converted.zip',
      )
    const done = count ? `Converted ${count} ${count === 1 ? 'image' : 'images'}.` : ''
    status.textContent = [done, ...failures].filter(Boolean).join(' ')
    this.#options.announce(status.textContent)
  }
}

function uniqueName(taken: Record<string, unknown>, name: string): string {
  if (!(name in taken)) return name
  const dot = name.lastIndexOf('.')
  for (let n = 2; ; n++) {
    const candidate = `${name.slice(0, dot)} (${n})${name.slice(dot)}`
    if (!(candidate in taken)) return candidate
  }
}
