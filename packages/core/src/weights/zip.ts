import { CheckpointError } from '../errors.js';

// A minimal reader for the zip files torch.save writes. torch stores every member uncompressed
// (and 64-byte aligned), so a "stored entries only" reader is enough, lets tensors be zero-copy
// views into the file buffer, and avoids a dependency (none is installed). It supports zip64, which
// torch uses for large files, and ignores CRCs (the safetensors path has no checksum either).

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export class StoredZip {
  readonly entries = new Map<string, ZipEntry>();
  readonly #bytes: Uint8Array;
  readonly #view: DataView;

  constructor(
    bytes: Uint8Array,
    readonly file: string,
  ) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#readCentralDirectory();
  }

  /** The bytes of a stored (uncompressed) member, as a view into the file buffer. */
  data(entry: ZipEntry): Uint8Array {
    if (entry.flags & 1) this.#fail(`member '${entry.name}' is encrypted`);
    if (entry.method !== 0) {
      this.#fail(
        `member '${entry.name}' is compressed (method ${entry.method}); torch.save writes uncompressed members. Re-save it with torch.save or convert it to safetensors`,
      );
    }
    if (entry.compressedSize !== entry.size) this.#fail(`member '${entry.name}' has inconsistent sizes`);
    const at = entry.localHeaderOffset;
    if (at + 30 > this.#bytes.byteLength || this.#view.getUint32(at, true) !== LOCAL) {
      this.#fail(`member '${entry.name}' has no local header at offset ${at}`);
    }
    const start = at + 30 + this.#view.getUint16(at + 26, true) + this.#view.getUint16(at + 28, true);
    if (start + entry.size > this.#bytes.byteLength) {
      this.#fail(`member '${entry.name}' runs past the end of the file`);
    }
    return this.#bytes.subarray(start, start + entry.size);
  }

  #fail(what: string): never {
    throw new CheckpointError(`${what}. The file is corrupt or truncated: download it again.`, this.file);
  }

  #u64(at: number): number {
    const v = this.#view.getBigUint64(at, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.#fail('a zip64 size is too large');
    return Number(v);
  }

  #readCentralDirectory(): void {
    const n = this.#bytes.byteLength;
    const v = this.#view;
    let eocd = -1;
    for (let i = n - 22; i >= Math.max(0, n - 22 - 0xffff); i--) {
      if (v.getUint32(i, true) === EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) this.#fail('no zip end-of-central-directory record (the file is truncated)');
    let count = v.getUint16(eocd + 10, true);
    let cdSize = v.getUint32(eocd + 12, true);
    let cdOffset = v.getUint32(eocd + 16, true);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const loc = eocd - 20;
      if (loc < 0 || v.getUint32(loc, true) !== ZIP64_LOCATOR) this.#fail('zip64 locator missing');
      const z = this.#u64(loc + 8);
      if (z + 56 > n || v.getUint32(z, true) !== ZIP64_EOCD) this.#fail('zip64 end record missing');
      count = this.#u64(z + 32);
      cdSize = this.#u64(z + 40);
      cdOffset = this.#u64(z + 48);
    }
    if (cdOffset + cdSize > n) this.#fail('the zip central directory lies past the end of the file');
    const decoder = new TextDecoder();
    let p = cdOffset;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cdOffset + cdSize || v.getUint32(p, true) !== CENTRAL)
        this.#fail('bad zip central directory');
      const flags = v.getUint16(p + 8, true);
      const method = v.getUint16(p + 10, true);
      let compressedSize = v.getUint32(p + 20, true);
      let size = v.getUint32(p + 24, true);
      const nameLength = v.getUint16(p + 28, true);
      const extraLength = v.getUint16(p + 30, true);
      const commentLength = v.getUint16(p + 32, true);
      let localHeaderOffset = v.getUint32(p + 42, true);
      const end = p + 46 + nameLength + extraLength + commentLength;
      if (end > cdOffset + cdSize) this.#fail('bad zip central directory');
      const name = decoder.decode(this.#bytes.subarray(p + 46, p + 46 + nameLength));
      // zip64 extra field: the 64-bit values present are those whose 32-bit field is 0xffffffff.
      const extraEnd = p + 46 + nameLength + extraLength;
      for (let e = p + 46 + nameLength; e + 4 <= extraEnd; ) {
        const id = v.getUint16(e, true);
        const len = v.getUint16(e + 2, true);
        if (id === 1) {
          let q = e + 4;
          const next = (): number => {
            if (q + 8 > Math.min(e + 4 + len, extraEnd)) this.#fail('bad zip64 extra field');
            q += 8;
            return this.#u64(q - 8);
          };
          if (size === 0xffffffff) size = next();
          if (compressedSize === 0xffffffff) compressedSize = next();
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = next();
        }
        e += 4 + len;
      }
      this.entries.set(name, { name, method, flags, compressedSize, size, localHeaderOffset });
      p = end;
    }
  }
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4;
}
