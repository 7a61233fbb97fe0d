/**
 * The slice of libheif-js's Emscripten module that `heic.ts` uses. The package ships types
 * for its CommonJS entry only, not for the self-contained ES module bundle.
 */
declare module 'libheif-js/libheif-wasm/libheif-bundle.mjs' {
  export interface HeifError {
    code: unknown
    subcode?: unknown
    message: string
  }
  export interface HeifChannel {
    id: unknown
    width: number
    height: number
    stride: number
    data: Uint8Array
  }
  export interface HeifDecoded {
    channels: HeifChannel[]
    image: unknown
  }
  export interface HeifModule {
    calledRun?: boolean
    onRuntimeInitialized?: () => void
    heif_error_code: { heif_error_Ok: unknown }
    heif_colorspace: { heif_colorspace_RGB: unknown }
    heif_chroma: { heif_chroma_interleaved_RGBA: unknown }
    heif_channel: { heif_channel_interleaved: unknown }
    heif_context_alloc(): unknown
    heif_context_free(context: unknown): void
    heif_context_read_from_memory(context: unknown, data: Uint8Array): HeifError
    heif_js_context_get_primary_image_handle(context: unknown): unknown
    heif_image_handle_get_width(handle: unknown): number
    heif_image_handle_get_height(handle: unknown): number
    heif_image_handle_release(handle: unknown): void
    heif_js_decode_image2(handle: unknown, colorspace: unknown, chroma: unknown): unknown
    heif_image_release(image: unknown): void
  }
  export default function factory(options?: object): HeifModule
}
