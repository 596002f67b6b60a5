;; GEMM micro-kernels in WebAssembly SIMD (128-bit), assembled at build time by scripts/build-wasm.mjs.
;;
;; One operation: C[i, j] = dot(A[i, :], B[j, :]) ("NT": both operands have K contiguous), which is how
;; PyTorch's Linear weights [out, in] are stored, so weights are used in place with no repacking.
;;
;; Every element of C is reduced in ONE fixed order whichever kernel computes it (2x4 block, 1x4 edge or 1x1
;; edge) and however the work is split between threads:
;;   lane l (l = 0..3) accumulates a[k] * b[k] for k = 4t + l, t = 0 .. K/4 - 1 (f32 mul, then f32 add),
;;   s = (lane0 + lane1) + (lane2 + lane3),
;;   then s += a[k] * b[k] for the K mod 4 tail, in order.
;; The TypeScript fallback (src/gemm/tsGemm.ts) does the same float32 operations, so both are bitwise equal.
;;
;; The memory import is marked shared; the build also emits a copy without "shared" for hosts without
;; SharedArrayBuffer (the line carrying the SHARED marker is rewritten).
(module
  (import "env" "memory" (memory 1 65536 shared)) ;; SHARED

  (func $hsum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; s + sum over k in [k0, k) of a[k] * b[k]; $pa, $pb point at the start of the rows.
  (func $tail (param $s f32) (param $pa i32) (param $pb i32) (param $k0 i32) (param $k i32) (result f32)
    (local $o i32) (local $e i32)
    (local.set $o (i32.shl (local.get $k0) (i32.const 2)))
    (local.set $e (i32.shl (local.get $k) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $o) (local.get $e)))
        (local.set $s
          (f32.add (local.get $s)
            (f32.mul
              (f32.load (i32.add (local.get $pa) (local.get $o)))
              (f32.load (i32.add (local.get $pb) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $next)))
    (local.get $s))

  ;; One element: dot of a row of A and a row of B.
  (func $dot1 (param $pa i32) (param $pb i32) (param $k i32) (result f32)
    (local $acc v128) (local $o i32) (local $kb i32)
    (local.set $kb (i32.shl (i32.and (local.get $k) (i32.const -4)) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $o) (local.get $kb)))
        (local.set $acc
          (f32x4.add (local.get $acc)
            (f32x4.mul
              (v128.load (i32.add (local.get $pa) (local.get $o)))
              (v128.load (i32.add (local.get $pb) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $next)))
    (call $tail (call $hsum (local.get $acc)) (local.get $pa) (local.get $pb)
      (i32.and (local.get $k) (i32.const -4)) (local.get $k)))

  ;; 1 row of A x 4 rows of B -> C[0, 0..3]. $ldb in bytes.
  (func $micro14 (param $pa i32) (param $pb i32) (param $pc i32) (param $k i32) (param $ldb i32)
    (local $a v128) (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local $o i32) (local $kb i32) (local $k4 i32)
    (local $pb1 i32) (local $pb2 i32) (local $pb3 i32)
    (local.set $k4 (i32.and (local.get $k) (i32.const -4)))
    (local.set $kb (i32.shl (local.get $k4) (i32.const 2)))
    (local.set $pb1 (i32.add (local.get $pb) (local.get $ldb)))
    (local.set $pb2 (i32.add (local.get $pb1) (local.get $ldb)))
    (local.set $pb3 (i32.add (local.get $pb2) (local.get $ldb)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $o) (local.get $kb)))
        (local.set $a (v128.load (i32.add (local.get $pa) (local.get $o))))
        (local.set $c0 (f32x4.add (local.get $c0)
          (f32x4.mul (local.get $a) (v128.load (i32.add (local.get $pb) (local.get $o))))))
        (local.set $c1 (f32x4.add (local.get $c1)
          (f32x4.mul (local.get $a) (v128.load (i32.add (local.get $pb1) (local.get $o))))))
        (local.set $c2 (f32x4.add (local.get $c2)
          (f32x4.mul (local.get $a) (v128.load (i32.add (local.get $pb2) (local.get $o))))))
        (local.set $c3 (f32x4.add (local.get $c3)
          (f32x4.mul (local.get $a) (v128.load (i32.add (local.get $pb3) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $next)))
    (f32.store offset=0 (local.get $pc)
      (call $tail (call $hsum (local.get $c0)) (local.get $pa) (local.get $pb) (local.get $k4) (local.get $k)))
    (f32.store offset=4 (local.get $pc)
      (call $tail (call $hsum (local.get $c1)) (local.get $pa) (local.get $pb1) (local.get $k4) (local.get $k)))
    (f32.store offset=8 (local.get $pc)
      (call $tail (call $hsum (local.get $c2)) (local.get $pa) (local.get $pb2) (local.get $k4) (local.get $k)))
    (f32.store offset=12 (local.get $pc)
      (call $tail (call $hsum (local.get $c3)) (local.get $pa) (local.get $pb3) (local.get $k4) (local.get $k))))

  ;; The register tile: 2 rows of A x 4 rows of B -> C[0..1, 0..3], 8 accumulators + 2 A + 1 B registers
  ;; (V8 has 16 xmm registers). Per 4 values of k: 6 loads, 8 mul, 8 add. $lda/$ldb/$ldc in bytes.
  (func $micro24 (param $pa i32) (param $pb i32) (param $pc i32) (param $k i32)
                 (param $lda i32) (param $ldb i32) (param $ldc i32)
    (local $a0 v128) (local $a1 v128) (local $b v128)
    (local $c00 v128) (local $c01 v128) (local $c02 v128) (local $c03 v128)
    (local $c10 v128) (local $c11 v128) (local $c12 v128) (local $c13 v128)
    (local $o i32) (local $kb i32) (local $k4 i32)
    (local $pa1 i32) (local $pb1 i32) (local $pb2 i32) (local $pb3 i32) (local $pc1 i32)
    (local.set $k4 (i32.and (local.get $k) (i32.const -4)))
    (local.set $kb (i32.shl (local.get $k4) (i32.const 2)))
    (local.set $pa1 (i32.add (local.get $pa) (local.get $lda)))
    (local.set $pb1 (i32.add (local.get $pb) (local.get $ldb)))
    (local.set $pb2 (i32.add (local.get $pb1) (local.get $ldb)))
    (local.set $pb3 (i32.add (local.get $pb2) (local.get $ldb)))
    (local.set $pc1 (i32.add (local.get $pc) (local.get $ldc)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $o) (local.get $kb)))
        (local.set $a0 (v128.load (i32.add (local.get $pa) (local.get $o))))
        (local.set $a1 (v128.load (i32.add (local.get $pa1) (local.get $o))))
        (local.set $b (v128.load (i32.add (local.get $pb) (local.get $o))))
        (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a0) (local.get $b))))
        (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a1) (local.get $b))))
        (local.set $b (v128.load (i32.add (local.get $pb1) (local.get $o))))
        (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a0) (local.get $b))))
        (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a1) (local.get $b))))
        (local.set $b (v128.load (i32.add (local.get $pb2) (local.get $o))))
        (local.set $c02 (f32x4.add (local.get $c02) (f32x4.mul (local.get $a0) (local.get $b))))
        (local.set $c12 (f32x4.add (local.get $c12) (f32x4.mul (local.get $a1) (local.get $b))))
        (local.set $b (v128.load (i32.add (local.get $pb3) (local.get $o))))
        (local.set $c03 (f32x4.add (local.get $c03) (f32x4.mul (local.get $a0) (local.get $b))))
        (local.set $c13 (f32x4.add (local.get $c13) (f32x4.mul (local.get $a1) (local.get $b))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $next)))
    (if (i32.ne (local.get $k4) (local.get $k))
      (then
        ;; K mod 4 != 0: finish each element with its scalar tail.
        (f32.store offset=0 (local.get $pc)
          (call $tail (call $hsum (local.get $c00)) (local.get $pa) (local.get $pb) (local.get $k4) (local.get $k)))
        (f32.store offset=4 (local.get $pc)
          (call $tail (call $hsum (local.get $c01)) (local.get $pa) (local.get $pb1) (local.get $k4) (local.get $k)))
        (f32.store offset=8 (local.get $pc)
          (call $tail (call $hsum (local.get $c02)) (local.get $pa) (local.get $pb2) (local.get $k4) (local.get $k)))
        (f32.store offset=12 (local.get $pc)
          (call $tail (call $hsum (local.get $c03)) (local.get $pa) (local.get $pb3) (local.get $k4) (local.get $k)))
        (f32.store offset=0 (local.get $pc1)
          (call $tail (call $hsum (local.get $c10)) (local.get $pa1) (local.get $pb) (local.get $k4) (local.get $k)))
        (f32.store offset=4 (local.get $pc1)
          (call $tail (call $hsum (local.get $c11)) (local.get $pa1) (local.get $pb1) (local.get $k4) (local.get $k)))
        (f32.store offset=8 (local.get $pc1)
          (call $tail (call $hsum (local.get $c12)) (local.get $pa1) (local.get $pb2) (local.get $k4) (local.get $k)))
        (f32.store offset=12 (local.get $pc1)
          (call $tail (call $hsum (local.get $c13)) (local.get $pa1) (local.get $pb3) (local.get $k4) (local.get $k))))
      (else
        (f32.store offset=0 (local.get $pc) (call $hsum (local.get $c00)))
        (f32.store offset=4 (local.get $pc) (call $hsum (local.get $c01)))
        (f32.store offset=8 (local.get $pc) (call $hsum (local.get $c02)))
        (f32.store offset=12 (local.get $pc) (call $hsum (local.get $c03)))
        (f32.store offset=0 (local.get $pc1) (call $hsum (local.get $c10)))
        (f32.store offset=4 (local.get $pc1) (call $hsum (local.get $c11)))
        (f32.store offset=8 (local.get $pc1) (call $hsum (local.get $c12)))
        (f32.store offset=12 (local.get $pc1) (call $hsum (local.get $c13))))))

  ;; C[i * ldc + j] = dot(A[i * lda ..], B[j * ldb ..]) for i < m, j < n (pointers in bytes, strides in
  ;; elements). Cache blocking: A is walked in blocks of $mb rows (sized by the caller to stay in L2); for each
  ;; block, 4 rows of B stay in L1 while every 2 rows of the A block pass over them.
  (func $gemm_nt (export "gemm_nt")
        (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $n i32) (param $k i32)
        (param $lda i32) (param $ldb i32) (param $ldc i32) (param $mb i32)
    (local $i0 i32) (local $ie i32) (local $i i32) (local $j i32) (local $n4 i32)
    (local.set $lda (i32.shl (local.get $lda) (i32.const 2)))
    (local.set $ldb (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $ldc (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (block $blocksDone
      (loop $block
        (br_if $blocksDone (i32.ge_u (local.get $i0) (local.get $m)))
        (local.set $ie (i32.add (local.get $i0) (local.get $mb)))
        (if (i32.gt_u (local.get $ie) (local.get $m)) (then (local.set $ie (local.get $m))))
        ;; full groups of 4 columns
        (local.set $j (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $j) (local.get $n4)))
            (local.set $i (local.get $i0))
            (block $rowsDone
              (loop $rows
                (br_if $rowsDone (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $ie)))
                (call $micro24
                  (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda)))
                  (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $ldb)))
                  (i32.add (local.get $c)
                    (i32.add (i32.mul (local.get $i) (local.get $ldc)) (i32.shl (local.get $j) (i32.const 2))))
                  (local.get $k) (local.get $lda) (local.get $ldb) (local.get $ldc))
                (local.set $i (i32.add (local.get $i) (i32.const 2)))
                (br $rows)))
            (if (i32.lt_u (local.get $i) (local.get $ie))
              (then
                (call $micro14
                  (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda)))
                  (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $ldb)))
                  (i32.add (local.get $c)
                    (i32.add (i32.mul (local.get $i) (local.get $ldc)) (i32.shl (local.get $j) (i32.const 2))))
                  (local.get $k) (local.get $ldb))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $cols)))
        ;; the last n mod 4 columns, one element at a time
        (block $edgeDone
          (loop $edge
            (br_if $edgeDone (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $i (local.get $i0))
            (block $erDone
              (loop $er
                (br_if $erDone (i32.ge_u (local.get $i) (local.get $ie)))
                (f32.store
                  (i32.add (local.get $c)
                    (i32.add (i32.mul (local.get $i) (local.get $ldc)) (i32.shl (local.get $j) (i32.const 2))))
                  (call $dot1
                    (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda)))
                    (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $ldb)))
                    (local.get $k)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $er)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $edge)))
        (local.set $i0 (local.get $ie))
        (br $block))))
;; ---- epilogues (elementwise, so their results do not depend on how the work is split) ----

  ;; e^x for 4 lanes: Cody-Waite reduction x = n ln2 + r, Cephes' degree-5 polynomial, 2^n from exponent bits.
  ;; Within 2 ulp on [-87, 88]; inputs are clamped there (e^x below e^-87 comes out ~1e-38, not 0).
  (func $exp4 (param $x v128) (result v128)
    (local $n v128) (local $r v128) (local $p v128)
    (local.set $x (f32x4.max (local.get $x) (v128.const f32x4 -87.0 -87.0 -87.0 -87.0)))
    (local.set $x (f32x4.min (local.get $x) (v128.const f32x4 88.0 88.0 88.0 88.0)))
    (local.set $n (f32x4.nearest (f32x4.mul (local.get $x)
      (v128.const f32x4 1.44269504088896341 1.44269504088896341 1.44269504088896341 1.44269504088896341))))
    (local.set $r (f32x4.sub (local.get $x)
      (f32x4.mul (local.get $n) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375))))
    (local.set $r (f32x4.sub (local.get $r)
      (f32x4.mul (local.get $n) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    (local.set $p (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1)))
    ;; 1 + r + r^2 p
    (local.set $p (f32x4.add
      (f32x4.add (f32x4.mul (f32x4.mul (local.get $r) (local.get $r)) (local.get $p)) (local.get $r))
      (v128.const f32x4 1 1 1 1)))
    (f32x4.mul (local.get $p)
      (i32x4.shl
        (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (v128.const i32x4 127 127 127 127))
        (i32.const 23))))

  ;; Exact-form GELU, 0.5 x (1 + erf(x / sqrt 2)), with erf from Numerical Recipes' Chebyshev fit of erfc
  ;; (fractional error < 1.2e-7) evaluated in float32.
  (func $gelu4 (param $x v128) (result v128)
    (local $z v128) (local $t v128) (local $p v128) (local $y v128)
    (local.set $z (f32x4.abs (f32x4.mul (local.get $x)
      (v128.const f32x4 0.70710678118654752 0.70710678118654752 0.70710678118654752 0.70710678118654752))))
    (local.set $t (f32x4.div (v128.const f32x4 1 1 1 1)
      (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $z) (v128.const f32x4 0.5 0.5 0.5 0.5)))))
    (local.set $p (v128.const f32x4 0.17087277 0.17087277 0.17087277 0.17087277))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.const f32x4 -0.82215223 -0.82215223 -0.82215223 -0.82215223)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.const f32x4 1.48851587 1.48851587 1.48851587 1.48851587)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.const f32x4 -1.13520398 -1.13520398 -1.13520398 -1.13520398)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.const f32x4 0.27886807 0.27886807 0.27886807 0.27886807)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.const f32x4 -0.18628806 -0.18628806 -0.18628806 -0.18628806)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.const f32x4 0.09678418 0.09678418 0.09678418 0.09678418)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.const f32x4 0.37409196 0.37409196 0.37409196 0.37409196)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.const f32x4 1.00002368 1.00002368 1.00002368 1.00002368)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.const f32x4 -1.26551223 -1.26551223 -1.26551223 -1.26551223)))
    ;; erfc(z) = t exp(-z^2 + p)
    (local.set $y (f32x4.mul (local.get $t)
      (call $exp4 (f32x4.sub (local.get $p) (f32x4.mul (local.get $z) (local.get $z))))))
    ;; erf(x) = sign(x) (1 - erfc(|x|)); gelu = 0.5 x (1 + erf)
    (local.set $y (v128.or
      (v128.and (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $y)) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff))
      (v128.and (local.get $x) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))))
    (f32x4.mul (f32x4.mul (local.get $x) (v128.const f32x4 0.5 0.5 0.5 0.5))
      (f32x4.add (v128.const f32x4 1 1 1 1) (local.get $y))))

  (func $act4 (param $v v128) (param $act i32) (result v128)
    (if (result v128) (i32.eq (local.get $act) (i32.const 1))
      (then (f32x4.max (local.get $v) (v128.const f32x4 0 0 0 0)))
      (else
        (if (result v128) (i32.eq (local.get $act) (i32.const 2))
          (then (call $gelu4 (local.get $v)))
          (else (local.get $v))))))

  ;; C[i, j] = act(C[i, j] + bias[j]) for i < m, j < n ($bias 0 = none; $act 0 none, 1 relu, 2 gelu).
  (func $bias_act (export "bias_act")
        (param $c i32) (param $m i32) (param $n i32) (param $ldc i32) (param $bias i32) (param $act i32)
    (local $i i32) (local $j i32) (local $p i32) (local $v v128) (local $n4 i32)
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $p (i32.add (local.get $c)
              (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldc)) (local.get $j)) (i32.const 2))))
            (if (i32.lt_u (local.get $j) (local.get $n4))
              (then
                (local.set $v (v128.load (local.get $p)))
                (if (local.get $bias)
                  (then (local.set $v (f32x4.add (local.get $v)
                    (v128.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2))))))))
                (v128.store (local.get $p) (call $act4 (local.get $v) (local.get $act)))
                (local.set $j (i32.add (local.get $j) (i32.const 4))))
              (else
                ;; the n mod 4 tail, one lane at a time through the same vector code
                (local.set $v (f32x4.splat (f32.load (local.get $p))))
                (if (local.get $bias)
                  (then (local.set $v (f32x4.add (local.get $v)
                    (f32x4.splat (f32.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))))))
                (f32.store (local.get $p) (f32x4.extract_lane 0 (call $act4 (local.get $v) (local.get $act))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; gemm_nt, then the Linear epilogue on the block just computed (still in cache).
  (func (export "gemm_nt_ep")
        (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $n i32) (param $k i32)
        (param $lda i32) (param $ldb i32) (param $ldc i32) (param $mb i32) (param $bias i32) (param $act i32)
    (call $gemm_nt (local.get $a) (local.get $b) (local.get $c) (local.get $m) (local.get $n) (local.get $k)
      (local.get $lda) (local.get $ldb) (local.get $ldc) (local.get $mb))
    (if (i32.or (local.get $bias) (local.get $act))
      (then (call $bias_act (local.get $c) (local.get $m) (local.get $n) (local.get $ldc) (local.get $bias) (local.get $act)))))

  ;; Softmax in place over the row p[0..n) with key mask (int32, 0 = masked; $mask 0 = none): masked entries
  ;; take -3.4028234663852886e38 (PyTorch's finfo.min fill), so a fully masked row comes out uniform.
  ;; Sums are per lane, then (l0 + l1) + (l2 + l3), then the tail in order.
  (func $softmax_row (export "softmax_row") (param $p i32) (param $n i32) (param $mask i32)
    (local $j i32) (local $n4 i32) (local $v v128) (local $vmax v128) (local $vsum v128)
    (local $max f32) (local $sum f32) (local $x f32) (local $q i32)
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (local.set $vmax (v128.const f32x4 -inf -inf -inf -inf))
    (local.set $max (f32.const -inf))
    ;; fill masked keys, find the max
    (local.set $j (i32.const 0))
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $q (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2))))
      (if (i32.lt_u (local.get $j) (local.get $n4))
        (then
          (local.set $v (v128.load (local.get $q)))
          (if (local.get $mask)
            (then
              (local.set $v (v128.bitselect (local.get $v)
                (v128.const f32x4 -3.4028234663852886e38 -3.4028234663852886e38 -3.4028234663852886e38 -3.4028234663852886e38)
                (i32x4.ne (v128.load (i32.add (local.get $mask) (i32.shl (local.get $j) (i32.const 2))))
                  (v128.const i32x4 0 0 0 0))))
              (v128.store (local.get $q) (local.get $v))))
          (local.set $vmax (f32x4.max (local.get $vmax) (local.get $v)))
          (local.set $j (i32.add (local.get $j) (i32.const 4))))
        (else
          (local.set $x (f32.load (local.get $q)))
          (if (local.get $mask)
            (then (if (i32.eqz (i32.load (i32.add (local.get $mask) (i32.shl (local.get $j) (i32.const 2)))))
              (then
                (local.set $x (f32.const -3.4028234663852886e38))
                (f32.store (local.get $q) (local.get $x))))))
          (local.set $max (f32.max (local.get $max) (local.get $x)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))))
      (br $l1)))
    (local.set $max (f32.max (local.get $max)
      (f32.max
        (f32.max (f32x4.extract_lane 0 (local.get $vmax)) (f32x4.extract_lane 1 (local.get $vmax)))
        (f32.max (f32x4.extract_lane 2 (local.get $vmax)) (f32x4.extract_lane 3 (local.get $vmax))))))
    (local.set $vmax (f32x4.splat (local.get $max)))
    ;; exponentials and their sum
    (local.set $j (i32.const 0))
    (block $d2 (loop $l2
      (br_if $d2 (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $q (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2))))
      (if (i32.lt_u (local.get $j) (local.get $n4))
        (then
          (local.set $v (call $exp4 (f32x4.sub (v128.load (local.get $q)) (local.get $vmax))))
          (v128.store (local.get $q) (local.get $v))
          (local.set $vsum (f32x4.add (local.get $vsum) (local.get $v)))
          (local.set $j (i32.add (local.get $j) (i32.const 4))))
        (else
          (local.set $x (f32x4.extract_lane 0
            (call $exp4 (f32x4.splat (f32.sub (f32.load (local.get $q)) (local.get $max))))))
          (f32.store (local.get $q) (local.get $x))
          (local.set $sum (f32.add (local.get $sum) (local.get $x)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))))
      (br $l2)))
    (local.set $sum (f32.add (call $hsum (local.get $vsum)) (local.get $sum)))
    (local.set $vsum (f32x4.splat (f32.div (f32.const 1) (local.get $sum))))
    ;; normalise
    (local.set $j (i32.const 0))
    (block $d3 (loop $l3
      (br_if $d3 (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $q (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2))))
      (if (i32.lt_u (local.get $j) (local.get $n4))
        (then
          (v128.store (local.get $q) (f32x4.mul (v128.load (local.get $q)) (local.get $vsum)))
          (local.set $j (i32.add (local.get $j) (i32.const 4))))
        (else
          (f32.store (local.get $q) (f32.mul (f32.load (local.get $q)) (f32x4.extract_lane 0 (local.get $vsum))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))))
      (br $l3))))

  ;; Attention for (batch, head) pairs [$p0, $p1) of B x H: q (already scaled), k, v, ctx [B, S, D] at byte
  ;; addresses, mask [B, S] int32. $scratch holds this thread's S x S scores and the head's v as [hd, S].
  (func (export "attention")
        (param $q i32) (param $k i32) (param $v i32) (param $mask i32) (param $ctx i32)
        (param $s i32) (param $d i32) (param $nh i32) (param $p0 i32) (param $p1 i32) (param $scratch i32)
    (local $hd i32) (local $pair i32) (local $bi i32) (local $col i32) (local $vt i32) (local $r i32)
    (local $j i32) (local $c i32) (local $src i32) (local $dst i32)
    (local.set $hd (i32.div_u (local.get $d) (local.get $nh)))
    (local.set $vt (i32.add (local.get $scratch) (i32.shl (i32.mul (local.get $s) (local.get $s)) (i32.const 2))))
    (local.set $pair (local.get $p0))
    (block $done (loop $pairs
      (br_if $done (i32.ge_u (local.get $pair) (local.get $p1)))
      (local.set $bi (i32.div_u (local.get $pair) (local.get $nh)))
      ;; byte offset of this head's first column in row 0 of batch bi
      (local.set $col (i32.shl
        (i32.add (i32.mul (i32.mul (local.get $bi) (local.get $s)) (local.get $d))
          (i32.mul (i32.rem_u (local.get $pair) (local.get $nh)) (local.get $hd)))
        (i32.const 2)))
      (call $gemm_nt
        (i32.add (local.get $q) (local.get $col)) (i32.add (local.get $k) (local.get $col)) (local.get $scratch)
        (local.get $s) (local.get $s) (local.get $hd) (local.get $d) (local.get $d) (local.get $s) (i32.const 64))
      (local.set $r (i32.const 0))
      (block $sd (loop $sl
        (br_if $sd (i32.ge_u (local.get $r) (local.get $s)))
        (call $softmax_row
          (i32.add (local.get $scratch) (i32.shl (i32.mul (local.get $r) (local.get $s)) (i32.const 2)))
          (local.get $s)
          (i32.add (local.get $mask) (i32.shl (i32.mul (local.get $bi) (local.get $s)) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $sl)))
      ;; vt[c, j] = v[bi, j, head col + c]
      (local.set $j (i32.const 0))
      (block $td (loop $tl
        (br_if $td (i32.ge_u (local.get $j) (local.get $s)))
        (local.set $src (i32.add (i32.add (local.get $v) (local.get $col))
          (i32.shl (i32.mul (local.get $j) (local.get $d)) (i32.const 2))))
        (local.set $dst (i32.add (local.get $vt) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $c (i32.const 0))
        (block $cd (loop $cl
          (br_if $cd (i32.ge_u (local.get $c) (local.get $hd)))
          (f32.store (local.get $dst) (f32.load (local.get $src)))
          (local.set $src (i32.add (local.get $src) (i32.const 4)))
          (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $s) (i32.const 2))))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $cl)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tl)))
      (call $gemm_nt
        (local.get $scratch) (local.get $vt) (i32.add (local.get $ctx) (local.get $col))
        (local.get $s) (local.get $hd) (local.get $s) (local.get $s) (local.get $s) (local.get $d) (i32.const 64))
      (local.set $pair (i32.add (local.get $pair) (i32.const 1)))
      (br $pairs))))
)
