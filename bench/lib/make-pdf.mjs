// Writes a plain PDF with text on every page and a photo on some, for machines without the
// corpus. Text uses the standard Helvetica font (not embedded), images are JPEG (DCTDecode).

/** Width and height from a JPEG's first SOF marker. */
export function jpegSize(bytes) {
  let offset = 2
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) throw new Error(`not a JPEG marker at byte ${offset}`)
    const marker = bytes[offset + 1]
    const length = bytes.readUInt16BE(offset + 2)
    const isSof = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)
    if (isSof) {
      return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) }
    }
    offset += 2 + length
  }
  throw new Error('no SOF marker in the JPEG')
}

const WORDS = (
  'quire page text render thumbnail worker pool queue tenant durable object search index ' +
  'metadata photo document stage decode resize encode benchmark native libvips poppler ' +
  'throughput memory latency chromium webassembly module transfer buffer progress'
).split(' ')

/** Escapes a string for a PDF literal. */
function literal(text) {
  return `(${text.replace(/[\\()]/g, (c) => `\\${c}`)})`
}

/**
 * Builds a PDF of `pages` A4 pages: a heading, about 60 lines of deterministic prose, and
 * the JPEG drawn on every other page.
 *
 * @param {{ pages: number, jpeg: Buffer, title: string }} options
 * @returns {Buffer}
 */
export function makePdf({ pages, jpeg, title }) {
  const { width, height } = jpegSize(jpeg)
  let seed = 12345
  const word = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return WORDS[seed % WORDS.length]
  }
  const objects = []
  const add = (body) => objects.push(body) // object number = index + 1
  add('<< /Type /Catalog /Pages 2 0 R >>')
  add(null) // the page tree, filled in once the page numbers are known
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>')
  const imageHeader =
    `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceRGB ` +
    `/BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>\nstream\n`
  add(Buffer.concat([Buffer.from(imageHeader, 'latin1'), jpeg, Buffer.from('\nendstream')]))
  add(`<< /Title ${literal(title)} /Producer (Quire bench) >>`)
  const kids = []
  for (let page = 1; page <= pages; page += 1) {
    const lines = [`BT /F1 20 Tf 56 790 Td ${literal(`${title}, page ${page}`)} Tj ET`]
    let top = 760
    if (page % 2 === 1) {
      const drawWidth = 480
      const drawHeight = Math.round((drawWidth * height) / width)
      lines.push(`q ${drawWidth} 0 0 ${drawHeight} 56 ${top - drawHeight} cm /Im1 Do Q`)
      top -= drawHeight + 20
    }
    lines.push(`BT /F1 10 Tf 12 TL 56 ${top} Td`)
    for (let line = 0; line < Math.floor((top - 60) / 12); line += 1) {
      const text = Array.from({ length: 12 }, word).join(' ')
      lines.push(`${literal(text)} '`)
    }
    lines.push('ET')
    const content = lines.join('\n')
    add(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`)
    const contentRef = objects.length
    add(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents ${contentRef} 0 R ` +
        '/Resources << /Font << /F1 3 0 R >> /XObject << /Im1 4 0 R >> >> >>',
    )
    kids.push(`${objects.length} 0 R`)
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${pages} >>`

  const chunks = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')]
  let length = chunks[0].length
  const offsets = []
  objects.forEach((body, index) => {
    offsets.push(length)
    const head = Buffer.from(`${index + 1} 0 obj\n`, 'latin1')
    const payload = Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1')
    const tail = Buffer.from('\nendobj\n', 'latin1')
    chunks.push(head, payload, tail)
    length += head.length + payload.length + tail.length
  })
  const xref = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${objects.length + 1} /Root 1 0 R /Info 5 0 R >>`,
    'startxref',
    String(length),
    '%%EOF',
    '',
  ].join('\n')
  chunks.push(Buffer.from(xref, 'latin1'))
  return Buffer.concat(chunks)
}
