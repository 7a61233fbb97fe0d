import { z } from '@hono/zod-openapi'
import { API_ERROR_STATUS, PROCESSING_ERROR_CODES } from './errors'
import type { ApiErrorCode } from './errors'

/** The largest extracted text one document may carry, in UTF-8 bytes (SQLite rows stay < 2 MB). */
export const MAX_TEXT_BYTES = 1024 * 1024

/** The hard cap on a thumbnail upload; a tenant's own cap (`limits.thumbnailSize`) is lower. */
export const MAX_THUMBNAIL_SIZE = 1024 * 1024

export const Sha256Param = z.object({
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters')
    .openapi({ param: { name: 'sha256', in: 'path' }, example: 'e3b0c442'.padEnd(64, '0') }),
})

export const TenantId = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'must be 1-40 of a-z, 0-9 and inner dashes')

export const TenantParam = z.object({
  id: TenantId.openapi({ param: { name: 'id', in: 'path' }, example: 'acme' }),
})

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(API_ERROR_STATUS) as [ApiErrorCode, ...ApiErrorCode[]]),
      message: z.string(),
    }),
  })
  .openapi('Error')

/**
 * A metadata string cut to `max` characters rather than refused: a PDF's title or an error
 * message can be any length, and one long field must not keep a file out of the API forever.
 */
/**
 * Cuts `value` to at most `max` UTF-16 units without splitting a surrogate pair, and replaces
 * lone surrogates with U+FFFD (SQLite would store each as three replacement characters).
 */
export function clip(value: string, max: number): string {
  let cut = value.slice(0, max)
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1)
  return cut.replace(/\p{Cs}/gu, '\ufffd')
}

const clipped = (max: number, min = 0) =>
  z
    .string()
    .min(min)
    .overwrite((value) => clip(value, max))
    .openapi({ description: `cut to ${max} characters` })

const ProcessingError = z.object({
  code: z.enum(PROCESSING_ERROR_CODES),
  message: clipped(2000),
})

const shortText = clipped
const count = z.number().int().min(0).max(1_000_000_000)

/** What the page sends for one file (`PUT /v1/documents/:sha256`). Unknown keys are dropped. */
export const DocumentInput = z
  .object({
    name: clipped(1024, 1),
    mime: shortText(255),
    bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    kind: z.enum(['image', 'pdf']).nullable(),
    status: z.enum(['ready', 'failed']),
    error: ProcessingError.optional(),
    width: count.optional(),
    height: count.optional(),
    pages: count.optional(),
    title: shortText(2000).nullish(),
    author: shortText(2000).nullish(),
    creationDate: shortText(100).nullish(),
    text: z.string().optional(),
    textTruncated: z.boolean().optional(),
  })
  .superRefine((doc, ctx) => {
    if (doc.status === 'failed' && !doc.error) {
      ctx.addIssue({ code: 'custom', path: ['error'], message: 'a failed document needs error' })
    }
    if (doc.status === 'ready' && doc.error) {
      ctx.addIssue({ code: 'custom', path: ['error'], message: 'a ready document has no error' })
    }
    if (doc.status === 'ready' && doc.kind === null) {
      ctx.addIssue({ code: 'custom', path: ['kind'], message: 'a ready document needs a kind' })
    }
  })
  .openapi('DocumentInput')

export type DocumentInput = z.infer<typeof DocumentInput>

/**
 * The metadata a client sends besides its name and text, in the order of the `documents`
 * columns `mime` … `creation_date`. The stored row and the repeat check both read it from here,
 * so a field added to one cannot be missed by the other.
 */
export function metadataValues(input: DocumentInput) {
  return [
    input.mime,
    input.bytes,
    input.kind,
    input.status,
    input.error?.code ?? null,
    input.error?.message ?? null,
    input.width ?? null,
    input.height ?? null,
    input.pages ?? null,
    input.title ?? null,
    input.author ?? null,
    input.creationDate ?? null,
  ]
}

export const Document = z
  .object({
    sha256: z.string(),
    name: z.string(),
    mime: z.string(),
    bytes: z.number().int(),
    kind: z.enum(['image', 'pdf']).nullable(),
    status: z.enum(['ready', 'failed']),
    error: ProcessingError.optional(),
    width: z.number().int().optional(),
    height: z.number().int().optional(),
    pages: z.number().int().optional(),
    title: z.string().optional(),
    author: z.string().optional(),
    creationDate: z.string().optional(),
    textBytes: z.number().int(),
    textTruncated: z.boolean(),
    thumbnail: z.boolean().openapi({ description: 'whether a thumbnail is stored' }),
    createdAt: z.string(),
    updatedAt: z.string(),
    text: z.string().optional().openapi({ description: 'only with ?include=text' }),
  })
  .openapi('Document')

export type Document = z.infer<typeof Document>

export const Cursor = z.string().max(64).optional()

export const Limit = z.coerce.number().int().min(1).max(100).default(50)

export const ListQuery = z.object({ limit: Limit, cursor: Cursor })

export const DocumentList = z
  .object({ items: z.array(Document), next: z.string().nullable() })
  .openapi('DocumentList')

export const SearchQuery = z.object({
  q: z.string().trim().min(1, 'q is required').max(1000, 'q is at most 1000 characters'),
  limit: Limit,
  cursor: Cursor,
})

export const SearchItem = z
  .object({
    sha256: z.string(),
    name: z.string(),
    snippet: z.string().openapi({ description: 'HTML-escaped, matches wrapped in <mark>' }),
    score: z.number(),
  })
  .openapi('SearchItem')

export type SearchItem = z.infer<typeof SearchItem>

export const SearchList = z
  .object({ items: z.array(SearchItem), next: z.string().nullable() })
  .openapi('SearchList')

export const Limits = z
  .object({
    documents: z.number().int().min(0).max(10_000_000),
    textBytes: z
      .number()
      .int()
      .min(0)
      .max(10 * 1024 ** 3),
    thumbnailBytes: z
      .number()
      .int()
      .min(0)
      .max(10 * 1024 ** 4),
    thumbnailSize: z.number().int().min(0).max(MAX_THUMBNAIL_SIZE),
    ratePerSecond: z.number().min(0.001).max(100_000),
    burst: z.number().int().min(1).max(1_000_000),
  })
  .openapi('Limits')

export type Limits = z.infer<typeof Limits>

/** A partial override; `null` puts a limit back to its default. */
export const LimitsPatch = z
  .object(
    Object.fromEntries(
      Object.entries(Limits.shape).map(([key, schema]) => [key, schema.nullable().optional()]),
    ) as { [K in keyof Limits]: z.ZodOptional<z.ZodNullable<(typeof Limits.shape)[K]>> },
  )
  .strict()
  .openapi('LimitsPatch')

export type LimitsPatch = z.infer<typeof LimitsPatch>

export const Usage = z
  .object({
    tenant: z.string(),
    documents: z.number().int(),
    failed: z.number().int(),
    textBytes: z.number().int(),
    thumbnailBytes: z.number().int(),
    limits: Limits,
  })
  .openapi('Usage')

export type Usage = z.infer<typeof Usage>

export const NewTenant = z
  .object({ id: TenantId.optional(), limits: LimitsPatch.optional() })
  .strict()
  .openapi('NewTenant')

export const IssuedToken = z
  .object({
    id: z.string().openapi({ description: 'the tenant id' }),
    tokenId: z.string(),
    token: z.string().openapi({ description: 'shown once; only its hash is stored' }),
  })
  .openapi('IssuedToken')

export const TokenInfo = z.object({
  tokenId: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
})

export const TenantInfo = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    usage: Usage,
    overrides: LimitsPatch,
    tokens: z.array(TokenInfo),
  })
  .openapi('TenantInfo')

export type TenantInfo = z.infer<typeof TenantInfo>

export const RotateQuery = z.object({
  keep: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'keep the tenant’s other tokens valid (default: revoke them)' }),
})
