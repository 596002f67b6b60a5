/**
 * Free GPU buffers by size class, so a forward pass reuses the buffers the previous one released instead of
 * allocating. Classes are 4 steps per power of two (at most 25% slack); small buffers round up to 256 bytes.
 */
export function sizeClass(bytes: number): number {
  if (bytes <= 256) return 256;
  const step = 2 ** Math.max(8, Math.floor(Math.log2(bytes)) - 2);
  return Math.ceil(bytes / step) * step;
}

export class BufferPool {
  readonly #free = new Map<string, GPUBuffer[]>();
  #count = 0;
  #bytes = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly usage: GPUBufferUsageFlags,
  ) {}

  acquire(bytes: number): GPUBuffer {
    const size = sizeClass(bytes);
    const list = this.#free.get(String(size));
    const reused = list?.pop();
    if (reused) {
      this.#count--;
      this.#bytes -= reused.size;
      return reused;
    }
    return this.device.createBuffer({ size, usage: this.usage });
  }

  release(buffer: GPUBuffer): void {
    const key = String(buffer.size);
    const list = this.#free.get(key);
    if (list) list.push(buffer);
    else this.#free.set(key, [buffer]);
    this.#count++;
    this.#bytes += buffer.size;
  }

  get numBuffers(): number {
    return this.#count;
  }

  get numBytes(): number {
    return this.#bytes;
  }

  /** Destroys every pooled buffer. */
  clear(): void {
    for (const list of this.#free.values()) for (const b of list) b.destroy();
    this.#free.clear();
    this.#count = 0;
    this.#bytes = 0;
  }
}
