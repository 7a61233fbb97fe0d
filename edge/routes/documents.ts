import { createRoute, z } from '@hono/zod-openapi'
import { bodyLimit } from 'hono/body-limit'
import { ApiError, unwrap } from '../errors'
import { jsonBody } from '../middleware/json-body'
import {
  Document,
  DocumentInput,
  DocumentList,
  ListQuery,
  MAX_THUMBNAIL_SIZE,
  metadataValues,
  Sha256Param,
} from '../schemas'
import { sha256Hex } from '../tokens'
import { decodeCursor, encodeCursor } from './cursor'
import { bearerSecurity, errors, router } from './router'

/** The largest metadata body: 1 MiB of text can double when JSON escapes it. */
export const MAX_DOCUMENT_BODY = 4 * 1024 * 1024

const tooLarge = (limit: number) => () => {
  throw new ApiError('payload_too_large', `the request body is over ${limit} bytes`)
}

const putDocument = createRoute({
  method: 'put',
  path: '/{sha256}',
  summary: 'Create or update a document’s metadata (idempotent)',
  security: bearerSecurity,
  middleware: [
    bodyLimit({ maxSize: MAX_DOCUMENT_BODY, onError: tooLarge(MAX_DOCUMENT_BODY) }),
    jsonBody(),
  ] as const,
  request: {
    params: Sha256Param,
    body: { required: true, content: { 'application/json': { schema: DocumentInput } } },
  },
  responses: {
    200: { description: 'existed', content: { 'application/json': { schema: Document } } },
    201: { description: 'created', content: { 'application/json': { schema: Document } } },
    ...errors(400, 401, 409, 413, 415, 429),
  },
})

const listDocuments = createRoute({
  method: 'get',
  path: '/',
  summary: 'Documents, newest first',
  security: bearerSecurity,
  request: { query: ListQuery },
  responses: {
    200: { description: 'a page', content: { 'application/json': { schema: DocumentList } } },
    ...errors(400, 401, 429),
  },
})

const getDocument = createRoute({
  method: 'get',
  path: '/{sha256}',
  summary: 'One document; ?include=text adds its text',
  security: bearerSecurity,
  request: {
    params: Sha256Param,
    query: z.object({ include: z.enum(['text']).optional() }),
  },
  responses: {
    200: { description: 'the document', content: { 'application/json': { schema: Document } } },
    ...errors(400, 401, 404, 429),
  },
})

const deleteDocument = createRoute({
  method: 'delete',
  path: '/{sha256}',
  summary: 'Remove a document’s metadata, text and thumbnail',
  security: bearerSecurity,
  request: { params: Sha256Param },
  responses: { 204: { description: 'removed' }, ...errors(400, 401, 404, 429) },
})

const putThumbnail = createRoute({
  method: 'put',
  path: '/{sha256}/thumbnail',
  summary: 'Store the document’s WebP thumbnail',
  security: bearerSecurity,
  middleware: [
    bodyLimit({ maxSize: MAX_THUMBNAIL_SIZE, onError: tooLarge(MAX_THUMBNAIL_SIZE) }),
  ] as const,
  request: {
    params: Sha256Param,
    body: {
      required: true,
      content: { 'image/webp': { schema: { type: 'string', format: 'binary' } } },
    },
  },
  responses: {
    204: { description: 'stored' },
    ...errors(400, 401, 404, 409, 413, 415, 429),
  },
})

const getThumbnail = createRoute({
  method: 'get',
  path: '/{sha256}/thumbnail',
  summary: 'The document’s WebP thumbnail',
  security: bearerSecurity,
  request: { params: Sha256Param },
  responses: {
    200: {
      description: 'the thumbnail',
      content: { 'image/webp': { schema: { type: 'string', format: 'binary' } } },
    },
    304: { description: 'not modified (If-None-Match)' },
    ...errors(400, 401, 404, 429),
  },
})

export const documents = router()
  .openapi(putDocument, async (c) => {
    const { sha256 } = c.req.valid('param')
    const input = c.req.valid('json')

    const result = unwrap(
      await c.var.store.putDocument(c.var.credential, sha256, input, await fingerprint(input)),
    )

    return c.json(result.document, result.created ? 201 : 200)
  })
  .openapi(listDocuments, async (c) => {
    const { limit, cursor } = c.req.valid('query')

    const page = unwrap(
      await c.var.store.listDocuments(c.var.credential, limit, decodeCursor('d', cursor)),
    )

    return c.json({ items: page.items, next: encodeCursor('d', page.next) }, 200)
  })
  .openapi(getDocument, async (c) => {
    const { sha256 } = c.req.valid('param')
    const { include } = c.req.valid('query')

    const doc = unwrap(await c.var.store.getDocument(c.var.credential, sha256, include === 'text'))

    return c.json(doc, 200)
  })
  .openapi(deleteDocument, async (c) => {
    const { sha256 } = c.req.valid('param')

    unwrap(await c.var.store.deleteDocument(c.var.credential, sha256))

    return c.body(null, 204)
  })
  .openapi(putThumbnail, async (c) => {
    const { sha256 } = c.req.valid('param')
    if (mediaType(c.req.header('content-type')) !== 'image/webp') {
      throw new ApiError('unsupported_media_type', 'send Content-Type: image/webp')
    }

    const body = await c.req.arrayBuffer()
    if (!isWebp(new Uint8Array(body))) {
      throw new ApiError('unsupported_media_type', 'the body is not a WebP image')
    }

    unwrap(await c.var.store.putThumbnail(c.var.credential, sha256, body))
    return c.body(null, 204)
  })
  .openapi(getThumbnail, async (c) => {
    const { sha256 } = c.req.valid('param')

    const thumbnail = unwrap(await c.var.store.getThumbnail(c.var.credential, sha256))

    const headers = {
      'content-type': 'image/webp',
      'cache-control': 'private, no-cache',
      etag: thumbnail.etag,
    }
    if (c.req.header('if-none-match') === thumbnail.etag) return c.body(null, 304, headers)
    return c.body(thumbnail.body, 200, headers)
  })

/** A hash of everything the client sent, so a repeat of the same body is seen as one. */
async function fingerprint(input: DocumentInput): Promise<string> {
  return sha256Hex(
    JSON.stringify([
      input.name,
      ...metadataValues(input),
      input.text ?? '',
      input.textTruncated ?? false,
    ]),
  )
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase()
}

/** RIFF container of type WEBP whose size field matches the body, with a VP8/VP8L/VP8X chunk. */
export function isWebp(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 20) return false
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to))
  const riffSize = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true)
  return (
    ascii(0, 4) === 'RIFF' &&
    ascii(8, 12) === 'WEBP' &&
    ['VP8 ', 'VP8L', 'VP8X'].includes(ascii(12, 16)) &&
    riffSize + 8 === bytes.byteLength
  )
}
