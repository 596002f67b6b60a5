// A minimal Parquet writer for tests (no writer is installed here and pyarrow is not available): one row
// group, REQUIRED columns, PLAIN encoding, no compression, footer in Thrift's compact protocol. Enough to
// produce files laid out like nyu-mll/glue's splits for the reader under test (hyparquet).
import { writeFileSync } from 'node:fs';

export type ParquetColumn =
  | { name: string; type: 'string'; values: string[] }
  | { name: string; type: 'int64'; values: number[] }
  | { name: string; type: 'double'; values: number[] };

class Compact {
  bytes: number[] = [];
  private last: number[] = [0];
  varint(v: bigint | number): void {
    let n = BigInt(v);
    while (n >= 0x80n) {
      this.bytes.push(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    this.bytes.push(Number(n));
  }
  zigzag(v: number): void {
    const n = BigInt(v);
    this.varint(n >= 0n ? n << 1n : (-n << 1n) - 1n);
  }
  field(id: number, type: number): void {
    const delta = id - this.last[this.last.length - 1];
    this.bytes.push((delta << 4) | type); // every delta here is 1..15
    this.last[this.last.length - 1] = id;
  }
  i32(id: number, v: number): void {
    this.field(id, 5);
    this.zigzag(v);
  }
  i64(id: number, v: number): void {
    this.field(id, 6);
    this.zigzag(v);
  }
  binary(id: number, s: string): void {
    this.field(id, 8);
    const b = Buffer.from(s, 'utf8');
    this.varint(b.length);
    this.bytes.push(...b);
  }
  list(id: number, elemType: number, items: unknown[], each: (item: never) => void): void {
    this.field(id, 9);
    if (items.length < 15) this.bytes.push((items.length << 4) | elemType);
    else {
      this.bytes.push(0xf0 | elemType);
      this.varint(items.length);
    }
    for (const item of items) each(item as never);
  }
  struct(id: number | null, body: () => void): void {
    if (id !== null) this.field(id, 12);
    this.last.push(0);
    body();
    this.bytes.push(0);
    this.last.pop();
  }
}

const PHYSICAL = { string: 6, int64: 2, double: 5 } as const;

function plain(column: ParquetColumn): Buffer {
  if (column.type === 'string') {
    return Buffer.concat(
      column.values.map((s) => {
        const b = Buffer.from(s, 'utf8');
        const len = Buffer.alloc(4);
        len.writeUInt32LE(b.length);
        return Buffer.concat([len, b]);
      }),
    );
  }
  const out = Buffer.alloc(8 * column.values.length);
  column.values.forEach((v, i) => {
    if (column.type === 'int64') out.writeBigInt64LE(BigInt(v), 8 * i);
    else out.writeDoubleLE(v, 8 * i);
  });
  return out;
}

export function writeParquet(file: string, columns: ParquetColumn[]): void {
  const rows = columns[0].values.length;
  const chunks: Buffer[] = [Buffer.from('PAR1')];
  let offset = 4;
  const metas: { column: ParquetColumn; offset: number; size: number }[] = [];
  for (const column of columns) {
    const data = plain(column);
    const header = new Compact();
    header.struct(null, () => {
      header.i32(1, 0); // DATA_PAGE
      header.i32(2, data.length);
      header.i32(3, data.length);
      header.struct(5, () => {
        header.i32(1, rows);
        header.i32(2, 0); // PLAIN
        header.i32(3, 3); // RLE (no levels are written for REQUIRED columns)
        header.i32(4, 3);
      });
    });
    const page = Buffer.concat([Buffer.from(header.bytes), data]);
    metas.push({ column, offset, size: page.length });
    chunks.push(page);
    offset += page.length;
  }
  const footer = new Compact();
  footer.struct(null, () => {
    footer.i32(1, 1);
    footer.list(2, 12, [null, ...columns], (c: ParquetColumn | null) =>
      footer.struct(null, () => {
        if (c === null) {
          footer.binary(4, 'schema');
          footer.i32(5, columns.length);
        } else {
          footer.i32(1, PHYSICAL[c.type]);
          footer.i32(3, 0); // REQUIRED
          footer.binary(4, c.name);
          if (c.type === 'string') footer.i32(6, 0); // UTF8
        }
      }),
    );
    footer.i64(3, rows);
    footer.list(4, 12, [0], () =>
      footer.struct(null, () => {
        footer.list(1, 12, metas, (m: (typeof metas)[number]) =>
          footer.struct(null, () => {
            footer.i64(2, m.offset);
            footer.struct(3, () => {
              footer.i32(1, PHYSICAL[m.column.type]);
              footer.list(2, 5, [0], () => footer.zigzag(0));
              footer.list(3, 8, [m.column.name], (n: string) => {
                const b = Buffer.from(n, 'utf8');
                footer.varint(b.length);
                footer.bytes.push(...b);
              });
              footer.i32(4, 0); // UNCOMPRESSED
              footer.i64(5, rows);
              footer.i64(6, m.size);
              footer.i64(7, m.size);
              footer.i64(9, m.offset);
            });
          }),
        );
        footer.i64(2, offset - 4);
        footer.i64(3, rows);
      }),
    );
  });
  const meta = Buffer.from(footer.bytes);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(meta.length);
  chunks.push(meta, len, Buffer.from('PAR1'));
  writeFileSync(file, Buffer.concat(chunks));
}
