/** WGSL shared by every kernel: the uniform words, flat workgroup index, and float helpers. */
export const HEADER = /* wgsl */ `
@group(0) @binding(0) var<uniform> u: array<vec4<u32>, 8>;
fn P(i: u32) -> u32 { return u[i / 4u][i % 4u]; }
fn PF(i: u32) -> f32 { return bitcast<f32>(P(i)); }
fn flatGroup(wid: vec3<u32>, nwg: vec3<u32>) -> u32 { return wid.x + wid.y * nwg.x; }
`;

/** torch.finfo(float32).min, the masked attention logit (core's MASK_FILL). */
export const WGSL_MASK_FILL = '-3.40282346638528859812e+38';

/**
 * Exact-form GELU, 0.5·x·erfc(−x/√2). WGSL has no erf; this is Numerical Recipes' erfc (relative error
 * < 1.2e-7 everywhere), which stays accurate in the far negative tail where 1 + erf(x) would cancel.
 */
export const WGSL_ACTIVATIONS = /* wgsl */ `
fn erfc_(x: f32) -> f32 {
  let z = abs(x);
  let t = 1.0 / (1.0 + 0.5 * z);
  let r = t * exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return select(2.0 - r, r, x >= 0.0);
}
fn gelu_(x: f32) -> f32 { return 0.5 * x * erfc_(-x * 0.7071067811865476); }
fn relu_(x: f32) -> f32 { return max(x, 0.0); }
// Clamped: tanh(±15) is ±1 in float32, and some drivers overflow exp() inside tanh for large |x|.
fn tanh_(x: f32) -> f32 { return tanh(clamp(x, -15.0, 15.0)); }
fn none_(x: f32) -> f32 { return x; }
`;

/** Workgroups needed for `n` items at `per` items each. */
export function groups(n: number, per: number): number {
  return Math.ceil(n / per);
}
