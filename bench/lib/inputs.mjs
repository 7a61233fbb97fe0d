// The bench's input files: the shared corpus when present, otherwise generated ones.
import { spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { basename, extname, join } from 'node:path'
import { hasCommand } from './native.mjs'
import { makePdf } from './make-pdf.mjs'

const KINDS = {
  '.jpg': ['image', 'jpeg'],
  '.jpeg': ['image', 'jpeg'],
  '.png': ['image', 'png'],
  '.webp': ['image', 'webp'],
  '.pdf': ['pdf', 'pdf'],
}

/** The corpus files the quick run uses, beside the 12 MP JPEG. */
const QUICK_CORPUS = ['Ubuntu-Mate-Cold-no-logo.png', 'wood-d.webp', 'fntguide.pdf']
const THUMB_ID = 'photo-12mp.jpg'

/**
 * Resolves the inputs of one run. Files that must be made (the 12 MP JPEG cut from the
 * corpus's largest photo, or the whole generated set) are written once into `inputsDir`
 * and reused by later runs.
 *
 * @param {{ corpusDir: string, inputsDir: string, quick: boolean, print: (line: string) => void }} options
 * @returns {{ source: 'corpus' | 'generated', inputs: object[] }}
 */
export function prepareInputs({ corpusDir, inputsDir, quick, print }) {
  mkdirSync(inputsDir, { recursive: true })
  const corpus = existsSync(corpusDir)
    ? readdirSync(corpusDir).filter((name) => KINDS[extname(name).toLowerCase()])
    : []
  if (corpus.length > 0) {
    const photo = largestJpeg(corpusDir, corpus)
    const thumbPath = join(inputsDir, THUMB_ID)
    if (photo) {
      cached(thumbPath, print, (out) => {
        const { width, height } = describe(join(corpusDir, photo), 'image')
        const side = fit43(width ?? 4000, height ?? 3000)
        const left = Math.floor(((width ?? side.width) - side.width) / 2)
        const top = Math.floor(((height ?? side.height) - side.height) / 2)
        vips([
          'crop',
          join(corpusDir, photo),
          `${out}[Q=90,strip]`,
          left,
          top,
          side.width,
          side.height,
        ])
      })
    }
    const names = quick ? corpus.filter((name) => QUICK_CORPUS.includes(name)) : corpus
    const inputs = names.map((name) => input(join(corpusDir, name), 'corpus'))
    if (photo) inputs.unshift(input(thumbPath, `cut from ${photo}`))
    return { source: 'corpus', inputs }
  }

  print(`bench: ${corpusDir} not found; generating inputs into ${inputsDir}`)
  const make = (name, build) => {
    const path = join(inputsDir, name)
    cached(path, print, build)
    return input(path, 'generated')
  }
  const photo = make(THUMB_ID, (out) => photoLike(out, 4000, 3000, 1))
  const jpeg = join(inputsDir, 'pdf-photo.jpg')
  cached(jpeg, print, (out) => vips(['thumbnail', photo.path, `${out}[Q=85]`, 800]))
  const pdf = (pages) => (out) =>
    writeFileSync(out, makePdf({ pages, jpeg: readFileSync(jpeg), title: `Quire bench ${pages}` }))
  const png = make('large-3000x2000.png', (out) => photoLike(out, 3000, 2000, 2))
  const webp = make('square-4096.webp', (out) => photoLike(out, 4096, 4096, 3))
  const doc40 = make('doc-40p.pdf', pdf(40))
  if (quick) return { source: 'generated', inputs: [photo, png, webp, doc40] }
  const doc20 = make('doc-20p.pdf', pdf(20))
  return { source: 'generated', inputs: [photo, png, webp, doc20, doc40] }
}

/**
 * Distinct photo-like JPEGs cut from the 12 MP JPEG at different places, so that no two
 * files hash alike: 1600×1200 for the throughput batch, 640×480 for the app's 100-file batch.
 */
export function prepareBatch({ photo, inputsDir, count, print, width = 1600, height = 1200 }) {
  const folder = `batch-${width}x${height}`
  const dir = join(inputsDir, folder)
  mkdirSync(dir, { recursive: true })
  const photoWidth = photo.width ?? 4000
  const photoHeight = photo.height ?? 3000
  const cropWidth = Math.min(width, photoWidth)
  const cropHeight = Math.min(height, photoHeight)
  const paths = Array.from({ length: count }, (_, index) =>
    join(dir, `${folder}-${String(index).padStart(3, '0')}.jpg`),
  )
  const missing = paths.filter((path) => !existsSync(path)).length
  // Crops of a JPEG decode the whole photo each time; crops of libvips' own uncompressed
  // format read only their window.
  const source = join(inputsDir, 'photo-12mp.v')
  if (missing > 0) {
    print(`bench: cutting ${missing} ${width}×${height} JPEGs into ${dir}`)
    cached(
      source,
      () => {},
      (out) => vips(['copy', photo.path, out]),
    )
  }
  const quiet = () => {}
  return paths.map((path, index) => {
    cached(path, quiet, (out) => {
      const left = (index * 397) % (photoWidth - cropWidth + 1)
      const top = (index * 263) % (photoHeight - cropHeight + 1)
      vips(['crop', source, `${out}[Q=90,strip]`, left, top, cropWidth, cropHeight])
    })
    return {
      ...input(path, 'batch'),
      width: cropWidth,
      height: cropHeight,
      megapixels: (cropWidth * cropHeight) / 1e6,
    }
  })
}

/** The id the thumbnail target is judged on. */
export const THUMB_TARGET_ID = THUMB_ID

function input(path, source) {
  const name = basename(path)
  const [kind, type] = KINDS[extname(name).toLowerCase()]
  const facts = describe(path, kind)
  const megapixels = facts.width && facts.height ? (facts.width * facts.height) / 1e6 : null
  return { id: name, path, kind, type, bytes: statSync(path).size, source, ...facts, megapixels }
}

/** Dimensions of an image (vipsheader) or page count of a PDF (pdfinfo), when the tools exist. */
function describe(path, kind) {
  if (kind === 'image' && hasCommand('vipsheader')) {
    const read = (field) =>
      Number(spawnSync('vipsheader', ['-f', field, path], { encoding: 'utf8' }).stdout)
    return { width: read('width') || null, height: read('height') || null }
  }
  if (kind === 'pdf' && hasCommand('pdfinfo')) {
    const info = spawnSync('pdfinfo', [path], { encoding: 'utf8' }).stdout ?? ''
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1])
    return { pages: pages || null }
  }
  return {}
}

/** The largest 4:3 window (12 MP at most) inside width × height. */
function fit43(width, height) {
  const unit = Math.min(Math.floor(width / 4), Math.floor(height / 3), 1000)
  return { width: unit * 4, height: unit * 3 }
}

function largestJpeg(dir, names) {
  const jpegs = names.filter((name) => KINDS[extname(name).toLowerCase()][1] === 'jpeg')
  jpegs.sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)
  return jpegs[0] ?? null
}

/** Builds `path` through a temporary name unless it is already there. */
function cached(path, print, build) {
  if (existsSync(path)) return
  print(`bench: making ${basename(path)}`)
  const temporary = `${path.slice(0, -extname(path).length)}.part${extname(path)}`
  build(temporary)
  renameSync(temporary, path)
}

function vips(args) {
  const result = spawnSync('vips', args.map(String), { encoding: 'utf8' })
  if (result.status !== 0) {
    throw new Error(`vips ${args.join(' ')} failed: ${result.stderr || result.error}`)
  }
}

/**
 * A photo-like image: ImageMagick's plasma fractal (smooth areas with fine detail) when
 * `convert` exists, else three Perlin noise planes from libvips.
 */
function photoLike(out, width, height, seed) {
  if (hasCommand('convert')) {
    const args = ['-size', `${width}x${height}`, '-seed', String(seed), 'plasma:fractal']
    const quality = out.endsWith('.png') ? [] : ['-quality', '90']
    const result = spawnSync('convert', [...args, '-blur', '0x1', ...quality, out], {
      encoding: 'utf8',
    })
    if (result.status === 0) return
  }
  if (!hasCommand('vips')) {
    throw new Error('neither ImageMagick nor libvips is available to generate inputs')
  }
  const planes = [1, 2, 3].map((plane) => `${out}.${plane}.v`)
  planes.forEach((plane, index) =>
    vips([
      'perlin',
      plane,
      width,
      height,
      '--cell-size',
      128 * (index + 1),
      '--uchar',
      '--seed',
      seed * 10 + index,
    ]),
  )
  const joined = `${out}.rgb.v`
  vips(['bandjoin', planes.join(' '), joined])
  vips(['copy', joined, out.endsWith('.png') ? out : `${out}[Q=90]`, '--interpretation', 'srgb'])
  for (const file of [...planes, joined]) rmSync(file, { force: true })
}
