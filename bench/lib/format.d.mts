export function formatMs(ms: number | null | undefined): string
export function formatRatio(value: number | null | undefined): string
export function formatBytes(bytes: number | null | undefined): string
export function formatRate(value: number | null | undefined, unit: string): string
export function formatVerdict(met: boolean | null | undefined): string
export function renderTable(rows: readonly (readonly string[])[]): string
