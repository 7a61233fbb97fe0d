/** pdfjs-dist ships no types for its worker entry; we only hand its handler back to pdf.js. */
declare module 'pdfjs-dist/build/pdf.worker.mjs' {
  export const WorkerMessageHandler: unknown
}
