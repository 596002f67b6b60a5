/**
 * First-fit allocator over a growable linear memory (the WebAssembly heap). Free blocks are kept sorted by
 * address and merged with their neighbours, so a steady workload reuses the same space and never grows.
 */
export class Allocator {
  /** [start, size] of each free block, sorted by start. */
  private readonly free: [number, number][] = [];
  private readonly used = new Map<number, number>();
  private top: number;

  constructor(
    base: number,
    /** Makes the memory at least `bytes` long. */
    private readonly ensure: (bytes: number) => void,
    private readonly align = 64,
  ) {
    this.top = roundUp(base, align);
  }

  alloc(bytes: number): number {
    const size = roundUp(Math.max(bytes, 1), this.align);
    for (let i = 0; i < this.free.length; i++) {
      const block = this.free[i];
      if (block[1] < size) continue;
      const ptr = block[0];
      if (block[1] === size) this.free.splice(i, 1);
      else {
        block[0] += size;
        block[1] -= size;
      }
      this.used.set(ptr, size);
      return ptr;
    }
    const ptr = this.top;
    this.ensure(ptr + size);
    this.top = ptr + size;
    this.used.set(ptr, size);
    return ptr;
  }

  release(ptr: number): void {
    const size = this.used.get(ptr);
    if (size === undefined) return;
    this.used.delete(ptr);
    if (ptr + size === this.top) {
      this.top = ptr;
      // the block below the top may now be at the top too
      const last = this.free[this.free.length - 1];
      if (last && last[0] + last[1] === this.top) {
        this.top = last[0];
        this.free.pop();
      }
      return;
    }
    let i = 0;
    while (i < this.free.length && this.free[i][0] < ptr) i++;
    const prev = this.free[i - 1];
    const next = this.free[i];
    if (prev && prev[0] + prev[1] === ptr) {
      prev[1] += size;
      if (next && prev[0] + prev[1] === next[0]) {
        prev[1] += next[1];
        this.free.splice(i, 1);
      }
    } else if (next && ptr + size === next[0]) {
      next[0] = ptr;
      next[1] += size;
    } else this.free.splice(i, 0, [ptr, size]);
  }

  /** Bytes handed out and not yet released. */
  get bytesInUse(): number {
    let n = 0;
    for (const s of this.used.values()) n += s;
    return n;
  }
}

function roundUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}
