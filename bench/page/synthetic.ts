/**
 * Small distinct JPEGs drawn on an OffscreenCanvas: gradients, discs and a serial number,
 * so every file hashes differently and none is deduplicated.
 */
export async function syntheticJpegs(
  count: number,
  width: number,
  height: number,
  prefix: string,
): Promise<File[]> {
  const canvas = new OffscreenCanvas(width, height)
  const context = canvas.getContext('2d')
  if (!context) throw new Error('OffscreenCanvas 2d context is not available')
  const files: File[] = []
  let seed = 0x9e3779b9 ^ prefix.length
  const random = () => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0
    return ((seed >>> 0) % 10_000) / 10_000
  }
  for (let index = 0; index < count; index += 1) {
    const gradient = context.createLinearGradient(0, 0, width, height)
    gradient.addColorStop(0, `hsl(${Math.floor(random() * 360)} 70% 45%)`)
    gradient.addColorStop(1, `hsl(${Math.floor(random() * 360)} 60% 70%)`)
    context.fillStyle = gradient
    context.fillRect(0, 0, width, height)
    for (let disc = 0; disc < 12; disc += 1) {
      context.fillStyle = `hsl(${Math.floor(random() * 360)} 80% 50% / 0.6)`
      context.beginPath()
      context.arc(random() * width, random() * height, 8 + random() * width * 0.2, 0, Math.PI * 2)
      context.fill()
    }
    context.fillStyle = '#fff'
    context.font = `${Math.round(height / 8)}px sans-serif`
    context.fillText(`${prefix} #${index}`, width * 0.05, height * 0.9)
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 })
    files.push(new File([blob], `${prefix}-${index}.jpg`, { type: 'image/jpeg' }))
  }
  return files
}
