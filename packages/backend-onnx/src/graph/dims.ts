import { OnnxExportError } from '../errors.js';

/** A dynamic axis of the exported graph, traced at a sentinel size that no model constant shares. */
export interface DimSymbol {
  /** dim_param in the graph ('batch_size', 'sequence_length', 'num_positions'). */
  name: string;
  /** The prime the trace runs at. */
  sentinel: number;
}

/** A traced size as `coefficient · Π symbol^exponent`. */
export interface DimExpr {
  coefficient: number;
  exponents: readonly number[];
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

/**
 * Primes to trace at, one per dynamic axis: each divides none of the model's constant sizes, so a traced
 * size factors uniquely back into constants and axes. `maxFirst` bounds the first (sequence length is
 * checked against max_position_embeddings).
 */
export function pickSentinels(
  names: readonly string[],
  constants: readonly number[],
  limits: readonly number[],
): DimSymbol[] {
  const taken = new Set<number>();
  const ok = (p: number) => isPrime(p) && !taken.has(p) && constants.every((c) => c === 0 || c % p !== 0);
  return names.map((name, i) => {
    let p = limits[i];
    while (p > 2 && !ok(p)) p--;
    if (p <= 2) throw new OnnxExportError(`No sentinel size for ${name} below ${limits[i]}.`);
    taken.add(p);
    return { name, sentinel: p };
  });
}

/** Factors `size` over the sentinels. */
export function decompose(size: number, symbols: readonly DimSymbol[]): DimExpr {
  let c = size;
  const exponents = symbols.map((s) => {
    let e = 0;
    while (c !== 0 && c % s.sentinel === 0) {
      c /= s.sentinel;
      e++;
    }
    return e;
  });
  return { coefficient: c, exponents };
}

export const isStatic = (d: DimExpr): boolean => d.exponents.every((e) => e === 0);

/** A graph dim: the constant, or its symbolic name ('batch_size', 'batch_size*sequence_length', '4*batch_size'). */
export function dimParam(d: DimExpr, symbols: readonly DimSymbol[]): number | string {
  if (isStatic(d)) return d.coefficient;
  const factors = d.coefficient === 1 ? [] : [String(d.coefficient)];
  d.exponents.forEach((e, i) => {
    for (let k = 0; k < e; k++) factors.push(symbols[i].name);
  });
  return factors.join('*');
}
