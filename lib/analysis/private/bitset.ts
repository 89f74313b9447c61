/**
 * Fixed-size sets of small integers (workload indices), 32 per word, so that selecting pods
 * costs a few word operations per selector instead of a label lookup per pod.
 */
export class Bitset {
  /** An empty set over `size` elements. */
  public static empty(size: number): Bitset {
    return new Bitset(size, new Uint32Array((size + 31) >>> 5));
  }

  /** The set of all `size` elements. */
  public static full(size: number): Bitset {
    const b = Bitset.empty(size);
    b.words.fill(0xffffffff);
    b.trim();
    return b;
  }

  private constructor(
    public readonly size: number,
    private readonly words: Uint32Array,
  ) {}

  public add(i: number): void {
    this.words[i >>> 5] |= 1 << (i & 31);
  }

  public has(i: number): boolean {
    return (this.words[i >>> 5] & (1 << (i & 31))) !== 0;
  }

  public and(o: Bitset): Bitset {
    const w = new Uint32Array(this.words.length);
    for (let i = 0; i < w.length; i++) w[i] = this.words[i] & o.words[i];
    return new Bitset(this.size, w);
  }

  public or(o: Bitset): Bitset {
    const w = new Uint32Array(this.words.length);
    for (let i = 0; i < w.length; i++) w[i] = this.words[i] | o.words[i];
    return new Bitset(this.size, w);
  }

  /** In place: adds every element of `o`. */
  public orInPlace(o: Bitset): void {
    for (let i = 0; i < this.words.length; i++) this.words[i] |= o.words[i];
  }

  public not(): Bitset {
    const w = new Uint32Array(this.words.length);
    for (let i = 0; i < w.length; i++) w[i] = ~this.words[i];
    const b = new Bitset(this.size, w);
    b.trim();
    return b;
  }

  /** Calls `fn` with each element, ascending. */
  public forEach(fn: (i: number) => void): void {
    for (let wi = 0; wi < this.words.length; wi++) {
      let v = this.words[wi];
      while (v !== 0) {
        const t = v & -v;
        fn((wi << 5) + (31 - Math.clz32(t)));
        v ^= t;
      }
    }
  }

  private trim(): void {
    const extra = this.words.length * 32 - this.size;
    if (extra > 0 && this.words.length > 0) this.words[this.words.length - 1] &= 0xffffffff >>> extra;
  }
}
