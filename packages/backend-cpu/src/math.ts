/**
 * erf(x) from the Chebyshev fit of erfc in Numerical Recipes (2nd ed., 6.2), fractional error below 1.2e-7
 * everywhere, in float64. GELU needs the exact erf form; this is well inside float32 round-off of the output.
 */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

/** Exact GELU, 0.5 x (1 + erf(x / sqrt 2)). */
export function gelu(x: number): number {
  return 0.5 * x * (1 + erf(x * Math.SQRT1_2));
}

export function relu(x: number): number {
  return Math.max(x, 0);
}

/** Applies an activation in place over `v[from, to)`. */
export function activateInPlace(
  v: Float32Array,
  act: 'none' | 'gelu' | 'relu' | 'tanh',
  from = 0,
  to = v.length,
) {
  if (act === 'gelu') for (let i = from; i < to; i++) v[i] = gelu(v[i]);
  else if (act === 'relu') for (let i = from; i < to; i++) v[i] = Math.max(v[i], 0);
  else if (act === 'tanh') for (let i = from; i < to; i++) v[i] = Math.tanh(v[i]);
}
