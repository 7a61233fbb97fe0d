/// <reference lib="webworker" />
import * as Comlink from 'comlink'
import { convertImage, processImage } from './image/process'
import { processPdf, renderPdfPage } from './pdf/process'
import { AppError, registerErrorTransfer } from './shared/errors'
import { sniff } from './shared/sniff'
import type { WorkerApi } from './api'

registerErrorTransfer()

const api: WorkerApi = {
  async process(bytes, options, onProgress) {
    if (bytes.byteLength === 0) throw new AppError('empty_file', 'the file is empty')
    if (bytes.byteLength > options.maxBytes) {
      throw new AppError('too_large', `the file is ${bytes.byteLength} bytes, over the limit`)
    }
    const sniffed = sniff(new Uint8Array(bytes))
    if (sniffed.kind === 'pdf') return processPdf(bytes, options, onProgress)
    if (sniffed.kind === 'image') return processImage(bytes, sniffed, options, onProgress)
    throw new AppError('unsupported_type', 'this file is not an image or PDF Quire can read')
  },
  convert: (bytes, options) => convertImage(bytes, options),
  renderPdfPage: (bytes, page, longSide, options) => renderPdfPage(bytes, page, longSide, options),
}

Comlink.expose(api)
