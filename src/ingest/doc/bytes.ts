// Little-endian helpers over a stream.

export class Bytes {
  readonly dv: DataView;
  constructor(readonly b: Uint8Array) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  get length(): number {
    return this.b.length;
  }
  u8(o: number): number {
    return this.b[o]!;
  }
  u16(o: number): number {
    return this.dv.getUint16(o, true);
  }
  i16(o: number): number {
    return this.dv.getInt16(o, true);
  }
  u32(o: number): number {
    return this.dv.getUint32(o, true);
  }
  i32(o: number): number {
    return this.dv.getInt32(o, true);
  }
}
