// Money and score arithmetic without binary floating-point surprises: values are carried as
// integers of 1e-6 (万元 to the 0.01 元), and rounding is ROUND_HALF_UP on the decimal text
// (domain.md §2.2: round each line to 2 dp, half up).

const SCALE = 1_000_000;

export function toMicro(x: number): number {
  return Math.round(x * SCALE);
}

export function fromMicro(m: number): number {
  return m / SCALE;
}

/** Exact sum of decimal amounts (each with ≤ 6 decimals). */
export function sum(xs: readonly number[]): number {
  let m = 0;
  for (const x of xs) m += toMicro(x);
  return fromMicro(m);
}

/** a − b, exact for decimal inputs. */
export function sub(a: number, b: number): number {
  return fromMicro(toMicro(a) - toMicro(b));
}

/** ROUND_HALF_UP to `dp` decimals, decided on the decimal representation (1.005 → 1.01). */
export function roundHalfUp(x: number, dp = 2): number {
  if (!Number.isFinite(x)) return x;
  const sign = x < 0 ? -1 : 1;
  // toPrecision(15) drops the binary noise of values like 1.0049999999999999 (= 1.005).
  const s = Math.abs(Number(Math.abs(x).toPrecision(15)));
  const r = Number(Math.round(Number(`${s}e${dp}`)) + `e-${dp}`);
  return sign * r;
}

/** |a − b| ≤ tol, comparing in micros. */
export function within(a: number, b: number, tol: number): boolean {
  return Math.abs(toMicro(a) - toMicro(b)) <= toMicro(tol);
}

/** Formats a number for messages: up to `dp` decimals, trailing zeros dropped. */
export function fmt(x: number, dp = 2): string {
  const r = roundHalfUp(x, dp);
  return String(r);
}

/** Percent with exactly 2 decimals, as printed in 执行率. */
export function pct(ratio: number): string {
  return `${roundHalfUp(ratio * 100, 2).toFixed(2)}%`;
}
