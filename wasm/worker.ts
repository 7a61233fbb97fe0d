/// <reference lib="webworker" />
import * as Comlink from 'comlink'
import { convertImage, processImage } from './image/process'
import { processPdf, renderPdfPage } from './pdf/process'
import { AppError, registerErrorTransfer } from './shared/errors'
import { refusal } from './shared/limits'
import { sniff } from './shared/sniff'
import type { WorkerApi } from './api'

registerErrorTransfer()

const api: WorkerApi = {
  async process(bytes, options, onProgress) {
    const sniffed = sniff(new Uint8Array(bytes))
    const refused = refusal(bytes.byteLength, sniffed, options)
    if (refused) throw new AppError(refused.code, refused.message)
    if (sniffed.kind === 'pdf') return processPdf(bytes, options, onProgress)
    return processImage(bytes, sniffed, options, onProgress)
  },
  convert: (bytes, options) => convertImage(bytes, options),
  renderPdfPage: (bytes, page, longSide, options) => renderPdfPage(bytes, page, longSide, options),
}

Comlink.expose(api)
