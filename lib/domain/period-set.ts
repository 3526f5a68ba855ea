/**
 * A set of whole period numbers (hours or days since the epoch) as a growable bitmap: one bit per period
 * between the smallest and largest seen. The import keeps one per series to tell a repeated series × period
 * from a new one without holding every key in memory (a year of hours is 1.1 KB).
 */
export class PeriodSet {
  private base = 0;
  private bits: Uint32Array = new Uint32Array(0);

  /** Adds n (an integer); true when it was not in the set yet. */
  add(n: number): boolean {
    if (!Number.isInteger(n)) throw new RangeError(`PeriodSet takes whole numbers, got ${n}`);
    if (this.bits.length === 0) {
      this.base = n - (n & 31);
      this.bits = new Uint32Array(4);
    } else if (n < this.base || n >= this.base + this.bits.length * 32) this.grow(n);
    const i = n - this.base;
    const word = i >>> 5;
    const mask = 1 << (i & 31);
    if (this.bits[word] & mask) return false;
    this.bits[word] |= mask;
    return true;
  }

  has(n: number): boolean {
    const i = n - this.base;
    if (!Number.isInteger(n) || i < 0 || i >= this.bits.length * 32) return false;
    return (this.bits[i >>> 5] & (1 << (i & 31))) !== 0;
  }

  private grow(n: number) {
    const words = this.bits.length;
    const lo = Math.min(this.base, n - (n & 31) - words * 32); // at least double, towards n
    const hi = Math.max(this.base + words * 64, n + 32);
    const next = new Uint32Array(Math.ceil((hi - lo) / 32));
    next.set(this.bits, (this.base - lo) >>> 5);
    this.base = lo;
    this.bits = next;
  }
}
