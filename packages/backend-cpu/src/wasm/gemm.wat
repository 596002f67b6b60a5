;; GEMM micro-kernels in WebAssembly SIMD (128-bit), assembled at build time by scripts/build-wasm.mjs.
;;
;; One operation: C[i, j] = dot(A[i, :], B[j, :]) ("NT": both operands have K contiguous), which is how
;; PyTorch's Linear weights [out, in] are stored, so weights are used as stored; 4 rows of B at a time are
;; copied into a per-thread workspace while in use (see $pack4).
;;
;; Every element of C is reduced in ONE fixed order whichever kernel computes it (2x6 or 2x4 tile, 1x4 edge or 1x1
;; edge) and however the work is split between threads:
;;   lane l (l = 0..3) accumulates a[k] * b[k] for k = 4t + l, t = 0 .. K/4 - 1 (f32 mul, then f32 add),
;;   s = (lane0 + lane1) + (lane2 + lane3),
;;   then s += a[k] * b[k] for the K mod 4 tail, in order.
;; The TypeScript fallback (src/gemm/tsGemm.ts) does the same float32 operations, so both are bitwise equal.
;;
;; The memory import is marked shared; the build also emits a copy without "shared" for hosts without
;; SharedArrayBuffer (the line carrying the SHARED marker is rewritten).
;;
;; Relaxed SIMD: the build emits a second module (generated/gemmRelaxed.ts) in which each accumulation marked
;; MADD, (f32x4.add acc (f32x4.mul x y)), becomes (f32x4.relaxed_madd x y acc). Same loops, same order; the
;; engine may fuse it (one rounding, FMA hardware) or not (mul then add, bitwise equal to this module). The
;; choice is fixed per machine, so results never depend on the thread count, but may differ between machines.
(module
  (import "env" "memory" (memory 1 65536 shared)) ;; SHARED

  ;; Whether gemm_nt uses the 2x6 tile ($micro26): 0 here, 1 in the relaxed build (the line is rewritten). With
  ;; f32x4.relaxed_madd a step needs no product register, so 12 accumulators + 2 A + 1 B fit V8's 15 xmm
  ;; registers; with mul + add they would not.
  (global $wide i32 (i32.const 0)) ;; WIDE

  ;; Constants of $exp4 and $gelu4 at bytes [64, 528) (the heap's allocator starts above them): a v128.load is
  ;; one load, where V8 builds each v128.const from a 64-bit immediate with two shuffle-port instructions.
  ;; Every instance (one per thread) writes the same bytes here when it starts.
  (data (i32.const 64)
    "\00\00\ae\c2\00\00\ae\c2\00\00\ae\c2\00\00\ae\c2"
    "\00\00\b0\42\00\00\b0\42\00\00\b0\42\00\00\b0\42"
    "\3b\aa\b8\3f\3b\aa\b8\3f\3b\aa\b8\3f\3b\aa\b8\3f"
    "\00\00\40\4b\00\00\40\4b\00\00\40\4b\00\00\40\4b"
    "\00\80\31\3f\00\80\31\3f\00\80\31\3f\00\80\31\3f"
    "\83\80\5e\b9\83\80\5e\b9\83\80\5e\b9\83\80\5e\b9"
    "\67\69\50\39\67\69\50\39\67\69\50\39\67\69\50\39"
    "\ce\43\b7\3a\ce\43\b7\3a\ce\43\b7\3a\ce\43\b7\3a"
    "\08\89\08\3c\08\89\08\3c\08\89\08\3c\08\89\08\3c"
    "\c1\a9\2a\3d\c1\a9\2a\3d\c1\a9\2a\3d\c1\a9\2a\3d"
    "\aa\aa\2a\3e\aa\aa\2a\3e\aa\aa\2a\3e\aa\aa\2a\3e"
    "\00\00\00\3f\00\00\00\3f\00\00\00\3f\00\00\00\3f"
    "\00\00\80\3f\00\00\80\3f\00\00\80\3f\00\00\80\3f"
    "\81\ff\3f\4b\81\ff\3f\4b\81\ff\3f\4b\81\ff\3f\4b"
    "\f3\04\35\3f\f3\04\35\3f\f3\04\35\3f\f3\04\35\3f"
    "\00\00\90\40\00\00\90\40\00\00\90\40\00\00\90\40"
    "\00\00\00\3f\00\00\00\3f\00\00\00\3f\00\00\00\3f"
    "\45\f9\2e\3e\45\f9\2e\3e\45\f9\2e\3e\45\f9\2e\3e"
    "\92\78\52\bf\92\78\52\bf\92\78\52\bf\92\78\52\bf"
    "\b0\87\be\3f\b0\87\be\3f\b0\87\be\3f\b0\87\be\3f"
    "\5d\4e\91\bf\5d\4e\91\bf\5d\4e\91\bf\5d\4e\91\bf"
    "\cc\c7\8e\3e\cc\c7\8e\3e\cc\c7\8e\3e\cc\c7\8e\3e"
    "\4c\c2\3e\be\4c\c2\3e\be\4c\c2\3e\be\4c\c2\3e\be"
    "\c9\36\c6\3d\c9\36\c6\3d\c9\36\c6\3d\c9\36\c6\3d"
    "\fb\88\bf\3e\fb\88\bf\3e\fb\88\bf\3e\fb\88\bf\3e"
    "\c7\00\80\3f\c7\00\80\3f\c7\00\80\3f\c7\00\80\3f"
    "\4e\fc\a1\bf\4e\fc\a1\bf\4e\fc\a1\bf\4e\fc\a1\bf"
    "\ff\ff\ff\7f\ff\ff\ff\7f\ff\ff\ff\7f\ff\ff\ff\7f"
    "\00\00\00\80\00\00\00\80\00\00\00\80\00\00\00\80")

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
          (f32x4.add (local.get $acc) ;; MADD
            (f32x4.mul
              (v128.load (i32.add (local.get $pa) (local.get $o)))
              (v128.load (i32.add (local.get $pb) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $next)))
    (call $tail (call $hsum (local.get $acc)) (local.get $pa) (local.get $pb)
      (i32.and (local.get $k) (i32.const -4)) (local.get $k)))

;; The four lane sums of c0..c3 as one vector [s(c0), s(c1), s(c2), s(c3)], each s = (l0 + l1) + (l2 + l3)
  ;; exactly as $hsum adds them, with two rounds of shuffles instead of twelve lane extractions.
  (func $hsum4 (param $c0 v128) (param $c1 v128) (param $c2 v128) (param $c3 v128) (result v128)
    (local $s01 v128) (local $s23 v128)
    ;; [c0.l0 + c0.l1, c0.l2 + c0.l3, c1.l0 + c1.l1, c1.l2 + c1.l3], the same for c2, c3
    (local.set $s01 (f32x4.add
      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $c0) (local.get $c1))
      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $c0) (local.get $c1))))
    (local.set $s23 (f32x4.add
      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $c2) (local.get $c3))
      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $c2) (local.get $c3))))
    (f32x4.add
      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $s01) (local.get $s23))
      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $s01) (local.get $s23))))

  ;; Packs the first $k4 values of 4 rows of B (row stride $ldb bytes) into $ws, interleaved by 4 values:
  ;; ws[16t + 4r + l] = B[r, 4t + l]. The micro-kernels then read B as one stream through one pointer with
  ;; constant offsets, which leaves V8 enough general registers to keep the loop free of stack traffic.
  (func $pack4 (param $pb i32) (param $ldb i32) (param $k4 i32) (param $ws i32)
    (local $pb1 i32) (local $pb2 i32) (local $pb3 i32) (local $end i32)
    (local.set $pb1 (i32.add (local.get $pb) (local.get $ldb)))
    (local.set $pb2 (i32.add (local.get $pb1) (local.get $ldb)))
    (local.set $pb3 (i32.add (local.get $pb2) (local.get $ldb)))
    (local.set $end (i32.add (local.get $ws) (i32.shl (local.get $k4) (i32.const 4))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $ws) (local.get $end)))
        (v128.store offset=0 (local.get $ws) (v128.load (local.get $pb)))
        (v128.store offset=16 (local.get $ws) (v128.load (local.get $pb1)))
        (v128.store offset=32 (local.get $ws) (v128.load (local.get $pb2)))
        (v128.store offset=48 (local.get $ws) (v128.load (local.get $pb3)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
        (local.set $pb1 (i32.add (local.get $pb1) (i32.const 16)))
        (local.set $pb2 (i32.add (local.get $pb2) (i32.const 16)))
        (local.set $pb3 (i32.add (local.get $pb3) (i32.const 16)))
        (local.set $ws (i32.add (local.get $ws) (i32.const 64)))
        (br $next))))

  ;; The register tile: 2 rows of A x 4 packed rows of B ($pw, from $pack4), over $k4 values of K (a multiple
  ;; of 4). 8 accumulators + 2 A + 1 B + 1 product register, within V8's 15 allocatable xmm registers; per 4
  ;; values of k: 6 loads, 8 mul, 8 add. The loop is FP-port bound (a mul and an add per 4 products, no FMA
  ;; in WebAssembly SIMD 1.0): wider tiles need more live registers than x64 has (the relaxed build's $micro26
  ;; fits only because madd needs no product register), and unrolling measured no
  ;; faster. $mode bit 0: start from the accumulators saved at $acc (else 0); bit 1: this is the last block
  ;; of K, store the lane sums to C[0..1, 0..3] (else save the accumulators at $acc for the next block).
  (func $micro24 (param $pa i32) (param $pw i32) (param $pc i32) (param $k4 i32) (param $lda i32) (param $ldc i32)
                 (param $acc i32) (param $mode i32)
    (local $a0 v128) (local $a1 v128) (local $b v128)
    (local $c00 v128) (local $c01 v128) (local $c02 v128) (local $c03 v128)
    (local $c10 v128) (local $c11 v128) (local $c12 v128) (local $c13 v128)
    (local $pa1 i32) (local $end i32)
    (if (i32.and (local.get $mode) (i32.const 1))
      (then
        (local.set $c00 (v128.load offset=0 (local.get $acc)))
        (local.set $c01 (v128.load offset=16 (local.get $acc)))
        (local.set $c02 (v128.load offset=32 (local.get $acc)))
        (local.set $c03 (v128.load offset=48 (local.get $acc)))
        (local.set $c10 (v128.load offset=64 (local.get $acc)))
        (local.set $c11 (v128.load offset=80 (local.get $acc)))
        (local.set $c12 (v128.load offset=96 (local.get $acc)))
        (local.set $c13 (v128.load offset=112 (local.get $acc)))))
    (local.set $pa1 (i32.add (local.get $pa) (local.get $lda)))
    (local.set $end (i32.add (local.get $pa) (i32.shl (local.get $k4) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $pa) (local.get $end)))
        (local.set $a0 (v128.load (local.get $pa)))
        (local.set $a1 (v128.load (local.get $pa1)))
        (local.set $b (v128.load offset=0 (local.get $pw)))
        (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a0) (local.get $b)))) ;; MADD
        (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a1) (local.get $b)))) ;; MADD
        (local.set $b (v128.load offset=16 (local.get $pw)))
        (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a0) (local.get $b)))) ;; MADD
        (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a1) (local.get $b)))) ;; MADD
        (local.set $b (v128.load offset=32 (local.get $pw)))
        (local.set $c02 (f32x4.add (local.get $c02) (f32x4.mul (local.get $a0) (local.get $b)))) ;; MADD
        (local.set $c12 (f32x4.add (local.get $c12) (f32x4.mul (local.get $a1) (local.get $b)))) ;; MADD
        (local.set $b (v128.load offset=48 (local.get $pw)))
        (local.set $c03 (f32x4.add (local.get $c03) (f32x4.mul (local.get $a0) (local.get $b)))) ;; MADD
        (local.set $c13 (f32x4.add (local.get $c13) (f32x4.mul (local.get $a1) (local.get $b)))) ;; MADD
        (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
        (local.set $pa1 (i32.add (local.get $pa1) (i32.const 16)))
        (local.set $pw (i32.add (local.get $pw) (i32.const 64)))
        (br $next)))
    (if (i32.and (local.get $mode) (i32.const 2))
      (then
        (v128.store (local.get $pc)
          (call $hsum4 (local.get $c00) (local.get $c01) (local.get $c02) (local.get $c03)))
        (v128.store (i32.add (local.get $pc) (local.get $ldc))
          (call $hsum4 (local.get $c10) (local.get $c11) (local.get $c12) (local.get $c13))))
      (else
        (v128.store offset=0 (local.get $acc) (local.get $c00))
        (v128.store offset=16 (local.get $acc) (local.get $c01))
        (v128.store offset=32 (local.get $acc) (local.get $c02))
        (v128.store offset=48 (local.get $acc) (local.get $c03))
        (v128.store offset=64 (local.get $acc) (local.get $c10))
        (v128.store offset=80 (local.get $acc) (local.get $c11))
        (v128.store offset=96 (local.get $acc) (local.get $c12))
        (v128.store offset=112 (local.get $acc) (local.get $c13)))))

  ;; $pack4 for 6 rows of B: ws[24t + 4r + l] = B[r, 4t + l].
  (func $pack6 (param $pb i32) (param $ldb i32) (param $k4 i32) (param $ws i32)
    (local $pb1 i32) (local $pb2 i32) (local $pb3 i32) (local $pb4 i32) (local $pb5 i32) (local $end i32)
    (local.set $pb1 (i32.add (local.get $pb) (local.get $ldb)))
    (local.set $pb2 (i32.add (local.get $pb1) (local.get $ldb)))
    (local.set $pb3 (i32.add (local.get $pb2) (local.get $ldb)))
    (local.set $pb4 (i32.add (local.get $pb3) (local.get $ldb)))
    (local.set $pb5 (i32.add (local.get $pb4) (local.get $ldb)))
    (local.set $end (i32.add (local.get $ws) (i32.mul (local.get $k4) (i32.const 24))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $ws) (local.get $end)))
        (v128.store offset=0 (local.get $ws) (v128.load (local.get $pb)))
        (v128.store offset=16 (local.get $ws) (v128.load (local.get $pb1)))
        (v128.store offset=32 (local.get $ws) (v128.load (local.get $pb2)))
        (v128.store offset=48 (local.get $ws) (v128.load (local.get $pb3)))
        (v128.store offset=64 (local.get $ws) (v128.load (local.get $pb4)))
        (v128.store offset=80 (local.get $ws) (v128.load (local.get $pb5)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
        (local.set $pb1 (i32.add (local.get $pb1) (i32.const 16)))
        (local.set $pb2 (i32.add (local.get $pb2) (i32.const 16)))
        (local.set $pb3 (i32.add (local.get $pb3) (i32.const 16)))
        (local.set $pb4 (i32.add (local.get $pb4) (i32.const 16)))
        (local.set $pb5 (i32.add (local.get $pb5) (i32.const 16)))
        (local.set $ws (i32.add (local.get $ws) (i32.const 96)))
        (br $next))))

  ;; The relaxed build's register tile: 2 rows of A x 6 packed rows of B ($pw, from $pack6), otherwise as
  ;; $micro24 (accumulators saved at $acc, 96 bytes a row). Per 4 values of k: 8 loads, 12 relaxed_madd.
  (func $micro26 (param $pa i32) (param $pw i32) (param $pc i32) (param $k4 i32) (param $lda i32) (param $ldc i32)
                 (param $acc i32) (param $mode i32)
    (local $a0 v128) (local $a1 v128) (local $b v128)
    (local $c00 v128) (local $c01 v128) (local $c02 v128) (local $c03 v128) (local $c04 v128) (local $c05 v128)
    (local $c10 v128) (local $c11 v128) (local $c12 v128) (local $c13 v128) (local $c14 v128) (local $c15 v128)
    (local $pa1 i32) (local $end i32)
    (if (i32.and (local.get $mode) (i32.const 1))
      (then
        (local.set $c00 (v128.load offset=0 (local.get $acc)))
        (local.set $c01 (v128.load offset=16 (local.get $acc)))
        (local.set $c02 (v128.load offset=32 (local.get $acc)))
        (local.set $c03 (v128.load offset=48 (local.get $acc)))
        (local.set $c04 (v128.load offset=64 (local.get $acc)))
        (local.set $c05 (v128.load offset=80 (local.get $acc)))
        (local.set $c10 (v128.load offset=96 (local.get $acc)))
        (local.set $c11 (v128.load offset=112 (local.get $acc)))
        (local.set $c12 (v128.load offset=128 (local.get $acc)))
        (local.set $c13 (v128.load offset=144 (local.get $acc)))
        (local.set $c14 (v128.load offset=160 (local.get $acc)))
        (local.set $c15 (v128.load offset=176 (local.get $acc)))))
    (local.set $pa1 (i32.add (local.get $pa) (local.get $lda)))
    (local.set $end (i32.add (local.get $pa) (i32.shl (local.get $k4) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $pa) (local.get $end)))
        (local.set $a0 (v128.load (local.get $pa)))
        (local.set $a1 (v128.load (local.get $pa1)))
        ;; Each load of B in its own basic block (the never-taken br_ifs): TurboFan hoists the loads of a block
        ;; to its top, and 6 live B vectors would spill the accumulators.
        (local.set $b (v128.load offset=0 (local.get $pw)))
        (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a0) (local.get $b)))) ;; MADD
        (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a1) (local.get $b)))) ;; MADD
        (br_if $done (i32.eq (local.get $pw) (i32.const -16))) ;; never taken (see above)
        (local.set $b (v128.load offset=16 (local.get $pw)))
        (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a0) (local.get $b)))) ;; MADD
        (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a1) (local.get $b)))) ;; MADD
        (br_if $done (i32.eq (local.get $pw) (i32.const -32))) ;; never taken (see above)
        (local.set $b (v128.load offset=32 (local.get $pw)))
        (local.set $c02 (f32x4.add (local.get $c02) (f32x4.mul (local.get $a0) (local.get $b)))) ;; MADD
        (local.set $c12 (f32x4.add (local.get $c12) (f32x4.mul (local.get $a1) (local.get $b)))) ;; MADD
        (br_if $done (i32.eq (local.get $pw) (i32.const -48))) ;; never taken (see above)
        (local.set $b (v128.load offset=48 (local.get $pw)))
        (local.set $c03 (f32x4.add (local.get $c03) (f32x4.mul (local.get $a0) (local.get $b)))) ;; MADD
        (local.set $c13 (f32x4.add (local.get $c13) (f32x4.mul (local.get $a1) (local.get $b)))) ;; MADD
        (br_if $done (i32.eq (local.get $pw) (i32.const -64))) ;; never taken (see above)
        (local.set $b (v128.load offset=64 (local.get $pw)))
        (local.set $c04 (f32x4.add (local.get $c04) (f32x4.mul (local.get $a0) (local.get $b)))) ;; MADD
        (local.set $c14 (f32x4.add (local.get $c14) (f32x4.mul (local.get $a1) (local.get $b)))) ;; MADD
        (br_if $done (i32.eq (local.get $pw) (i32.const -80))) ;; never taken (see above)
        (local.set $b (v128.load offset=80 (local.get $pw)))
        (local.set $c05 (f32x4.add (local.get $c05) (f32x4.mul (local.get $a0) (local.get $b)))) ;; MADD
        (local.set $c15 (f32x4.add (local.get $c15) (f32x4.mul (local.get $a1) (local.get $b)))) ;; MADD
        (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
        (local.set $pa1 (i32.add (local.get $pa1) (i32.const 16)))
        (local.set $pw (i32.add (local.get $pw) (i32.const 96)))
        (br $next)))
    (if (i32.and (local.get $mode) (i32.const 2))
      (then
        (v128.store (local.get $pc)
          (call $hsum4 (local.get $c00) (local.get $c01) (local.get $c02) (local.get $c03)))
        (v128.store64_lane offset=16 0 (local.get $pc)
          (call $hsum4 (local.get $c04) (local.get $c05) (local.get $c04) (local.get $c05)))
        (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
        (v128.store (local.get $pc)
          (call $hsum4 (local.get $c10) (local.get $c11) (local.get $c12) (local.get $c13)))
        (v128.store64_lane offset=16 0 (local.get $pc)
          (call $hsum4 (local.get $c14) (local.get $c15) (local.get $c14) (local.get $c15))))
      (else
        (v128.store offset=0 (local.get $acc) (local.get $c00))
        (v128.store offset=16 (local.get $acc) (local.get $c01))
        (v128.store offset=32 (local.get $acc) (local.get $c02))
        (v128.store offset=48 (local.get $acc) (local.get $c03))
        (v128.store offset=64 (local.get $acc) (local.get $c04))
        (v128.store offset=80 (local.get $acc) (local.get $c05))
        (v128.store offset=96 (local.get $acc) (local.get $c10))
        (v128.store offset=112 (local.get $acc) (local.get $c11))
        (v128.store offset=128 (local.get $acc) (local.get $c12))
        (v128.store offset=144 (local.get $acc) (local.get $c13))
        (v128.store offset=160 (local.get $acc) (local.get $c14))
        (v128.store offset=176 (local.get $acc) (local.get $c15)))))

  ;; 1 row of A x 4 packed rows of B: the last row of an odd block ($acc, $mode as in $micro24).
  (func $micro14 (param $pa i32) (param $pw i32) (param $pc i32) (param $k4 i32) (param $acc i32) (param $mode i32)
    (local $a v128) (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $end i32)
    (if (i32.and (local.get $mode) (i32.const 1))
      (then
        (local.set $c0 (v128.load offset=0 (local.get $acc)))
        (local.set $c1 (v128.load offset=16 (local.get $acc)))
        (local.set $c2 (v128.load offset=32 (local.get $acc)))
        (local.set $c3 (v128.load offset=48 (local.get $acc)))))
    (local.set $end (i32.add (local.get $pa) (i32.shl (local.get $k4) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $pa) (local.get $end)))
        (local.set $a (v128.load (local.get $pa)))
        (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $a) (v128.load offset=0 (local.get $pw))))) ;; MADD
        (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $a) (v128.load offset=16 (local.get $pw))))) ;; MADD
        (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $a) (v128.load offset=32 (local.get $pw))))) ;; MADD
        (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $a) (v128.load offset=48 (local.get $pw))))) ;; MADD
        (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
        (local.set $pw (i32.add (local.get $pw) (i32.const 64)))
        (br $next)))
    (if (i32.and (local.get $mode) (i32.const 2))
      (then
        (v128.store (local.get $pc)
          (call $hsum4 (local.get $c0) (local.get $c1) (local.get $c2) (local.get $c3))))
      (else
        (v128.store offset=0 (local.get $acc) (local.get $c0))
        (v128.store offset=16 (local.get $acc) (local.get $c1))
        (v128.store offset=32 (local.get $acc) (local.get $c2))
        (v128.store offset=48 (local.get $acc) (local.get $c3)))))

  ;; C[i * ldc + j] = dot(A[i * lda ..], B[j * ldb ..]) for i < m, j < n (pointers in bytes, strides in
  ;; elements). Cache blocking: A is walked in blocks of $mb rows (sized by the caller to stay in L2); for each
  ;; block, 6 ($wide) or 4 rows of B are packed, $kb values of k at a time, into this thread's workspace $ws
  ;; (at most 24 $kb bytes, kept in L1), every 2 rows of the A block pass over them, and the accumulators wait
  ;; at $ws + 24 $kb (96 ($mb + 1) bytes) for the next block of K. Each lane still sums its k in increasing order, so the blocking
  ;; does not change a bit.
  (func $gemm_nt (export "gemm_nt")
        (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $n i32) (param $k i32)
        (param $lda i32) (param $ldb i32) (param $ldc i32) (param $mb i32) (param $ws i32)
    (local $i0 i32) (local $ie i32) (local $i i32) (local $j i32) (local $jj i32) (local $n4 i32) (local $k4 i32)
    (local $p i32) (local $kb i32) (local $k0 i32) (local $kl i32) (local $acc i32) (local $mode i32) (local $w i32)
    (local.set $lda (i32.shl (local.get $lda) (i32.const 2)))
    (local.set $ldb (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $ldc (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (local.set $k4 (i32.and (local.get $k) (i32.const -4)))
    (local.set $kb (i32.const 768))
    (local.set $acc (i32.add (local.get $ws) (i32.mul (local.get $kb) (i32.const 24))))
    (block $blocksDone
      (loop $block
        (br_if $blocksDone (i32.ge_u (local.get $i0) (local.get $m)))
        (local.set $ie (i32.add (local.get $i0) (local.get $mb)))
        (if (i32.gt_u (local.get $ie) (local.get $m)) (then (local.set $ie (local.get $m))))
        ;; full groups of $w columns: 6 while they fit (relaxed build only), then 4
        (local.set $j (i32.const 0))
        (block $colsDone
          (loop $cols
            (local.set $w (select (i32.const 6) (i32.const 4)
              (i32.and (global.get $wide) (i32.le_u (i32.add (local.get $j) (i32.const 6)) (local.get $n)))))
            (br_if $colsDone (i32.gt_u (i32.add (local.get $j) (local.get $w)) (local.get $n)))
            ;; blocks of K: [k0, k0 + kl); the first always runs (it stores C even when K < 4)
            (local.set $k0 (i32.const 0))
            (loop $kBlocks
              (local.set $kl (i32.sub (local.get $k4) (local.get $k0)))
              (if (i32.gt_u (local.get $kl) (local.get $kb)) (then (local.set $kl (local.get $kb))))
              (local.set $mode (i32.or
                (i32.ne (local.get $k0) (i32.const 0))
                (i32.shl (i32.ge_u (i32.add (local.get $k0) (local.get $kl)) (local.get $k4)) (i32.const 1))))
              (local.set $p (i32.add (local.get $b)
                (i32.add (i32.mul (local.get $j) (local.get $ldb)) (i32.shl (local.get $k0) (i32.const 2)))))
              (if (i32.eq (local.get $w) (i32.const 6))
                (then
                  (call $pack6 (local.get $p) (local.get $ldb) (local.get $kl) (local.get $ws))
                  ;; pairs of rows; an odd last row is computed as a pair of itself (lda = ldc = 0), its
                  ;; accumulators for the phantom second row going to the slack row after the block
                  (local.set $i (local.get $i0))
                  (block $wRowsDone
                    (loop $wRows
                      (br_if $wRowsDone (i32.ge_u (local.get $i) (local.get $ie)))
                      (local.set $p (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $ie)))
                      (call $micro26
                        (i32.add (local.get $a)
                          (i32.add (i32.mul (local.get $i) (local.get $lda)) (i32.shl (local.get $k0) (i32.const 2))))
                        (local.get $ws)
                        (i32.add (local.get $c)
                          (i32.add (i32.mul (local.get $i) (local.get $ldc)) (i32.shl (local.get $j) (i32.const 2))))
                        (local.get $kl)
                        (select (local.get $lda) (i32.const 0) (local.get $p))
                        (select (local.get $ldc) (i32.const 0) (local.get $p))
                        (i32.add (local.get $acc) (i32.mul (i32.sub (local.get $i) (local.get $i0)) (i32.const 96)))
                        (local.get $mode))
                      (local.set $i (i32.add (local.get $i) (i32.const 2)))
                      (br $wRows)))
                  ;; skip the 4-wide rows below
                  (local.set $i (local.get $ie)))
                (else
                  (call $pack4 (local.get $p) (local.get $ldb) (local.get $kl) (local.get $ws))
                  (local.set $i (local.get $i0))))
              (block $rowsDone
                (loop $rows
                  (br_if $rowsDone (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $ie)))
                  (call $micro24
                    (i32.add (local.get $a)
                      (i32.add (i32.mul (local.get $i) (local.get $lda)) (i32.shl (local.get $k0) (i32.const 2))))
                    (local.get $ws)
                    (i32.add (local.get $c)
                      (i32.add (i32.mul (local.get $i) (local.get $ldc)) (i32.shl (local.get $j) (i32.const 2))))
                    (local.get $kl) (local.get $lda) (local.get $ldc)
                    (i32.add (local.get $acc) (i32.shl (i32.sub (local.get $i) (local.get $i0)) (i32.const 6)))
                    (local.get $mode))
                  (local.set $i (i32.add (local.get $i) (i32.const 2)))
                  (br $rows)))
              (if (i32.lt_u (local.get $i) (local.get $ie))
                (then
                  (call $micro14
                    (i32.add (local.get $a)
                      (i32.add (i32.mul (local.get $i) (local.get $lda)) (i32.shl (local.get $k0) (i32.const 2))))
                    (local.get $ws)
                    (i32.add (local.get $c)
                      (i32.add (i32.mul (local.get $i) (local.get $ldc)) (i32.shl (local.get $j) (i32.const 2))))
                    (local.get $kl)
                    (i32.add (local.get $acc) (i32.shl (i32.sub (local.get $i) (local.get $i0)) (i32.const 6)))
                    (local.get $mode))))
              (local.set $k0 (i32.add (local.get $k0) (local.get $kl)))
              (br_if $kBlocks (i32.lt_u (local.get $k0) (local.get $k4))))
            ;; K mod 4 != 0: finish each element of the $w columns with its scalar tail, in order
            (if (i32.ne (local.get $k4) (local.get $k))
              (then
                (local.set $i (local.get $i0))
                (block $tailRowsDone
                  (loop $tailRows
                    (br_if $tailRowsDone (i32.ge_u (local.get $i) (local.get $ie)))
                    (local.set $jj (local.get $j))
                    (block $tailColsDone
                      (loop $tailCols
                        (br_if $tailColsDone (i32.ge_u (local.get $jj) (i32.add (local.get $j) (local.get $w))))
                        (local.set $p (i32.add (local.get $c)
                          (i32.add (i32.mul (local.get $i) (local.get $ldc)) (i32.shl (local.get $jj) (i32.const 2)))))
                        (f32.store (local.get $p)
                          (call $tail (f32.load (local.get $p))
                            (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda)))
                            (i32.add (local.get $b) (i32.mul (local.get $jj) (local.get $ldb)))
                            (local.get $k4) (local.get $k)))
                        (local.set $jj (i32.add (local.get $jj) (i32.const 1)))
                        (br $tailCols)))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $tailRows)))))
            (local.set $j (i32.add (local.get $j) (local.get $w)))
            (br $cols)))
        ;; the last (fewer than 4) columns, one element at a time
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
    (local $n v128) (local $r v128) (local $p v128) (local $f v128)
    (local.set $x (f32x4.pmax (local.get $x) (v128.load offset=64 (i32.const 0))))
    (local.set $x (f32x4.pmin (local.get $x) (v128.load offset=80 (i32.const 0))))
    ;; n = nearest(x log2 e) by adding 1.5 * 2^23 (ties to even, as f32x4.nearest); f's low bits hold n + 2^22,
    ;; which gives 2^n below without a float-to-int conversion.
    (local.set $f (f32x4.add
      (f32x4.mul (local.get $x)
        (v128.load offset=96 (i32.const 0)))
      (v128.load offset=112 (i32.const 0))))
    (local.set $n (f32x4.sub (local.get $f) (v128.load offset=112 (i32.const 0))))
    (local.set $r (f32x4.sub (local.get $x)
      (f32x4.mul (local.get $n) (v128.load offset=128 (i32.const 0)))))
    (local.set $r (f32x4.sub (local.get $r)
      (f32x4.mul (local.get $n) (v128.load offset=144 (i32.const 0)))))
    (local.set $p (v128.load offset=160 (i32.const 0)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.load offset=176 (i32.const 0))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.load offset=192 (i32.const 0))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.load offset=208 (i32.const 0))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.load offset=224 (i32.const 0))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.load offset=240 (i32.const 0))))
    ;; 1 + r + r^2 p
    (local.set $p (f32x4.add
      (f32x4.add (f32x4.mul (f32x4.mul (local.get $r) (local.get $r)) (local.get $p)) (local.get $r))
      (v128.load offset=256 (i32.const 0))))
    ;; 2^n: bits of f minus those of 1.5 * 2^23 (0x4b400000) = n, plus the exponent bias 127
    (f32x4.mul (local.get $p)
      (i32x4.shl
        (i32x4.sub (local.get $f) (v128.load offset=272 (i32.const 0)))
        (i32.const 23))))

  ;; Exact-form GELU, 0.5 x (1 + erf(x / sqrt 2)), with erf from Numerical Recipes' Chebyshev fit of erfc
  ;; (fractional error < 1.2e-7) evaluated in float32. |x| / sqrt 2 is capped at 4.5: beyond it erfc < 2e-10
  ;; and erf rounds to +-1 either way, and the cap keeps exp's result normal (denormal products cost ~100
  ;; cycles each on x86).
  (func $gelu4 (param $x v128) (result v128)
    (local $z v128) (local $t v128) (local $p v128) (local $y v128)
    (local.set $z (f32x4.pmin (f32x4.abs (f32x4.mul (local.get $x)
      (v128.load offset=288 (i32.const 0))))
      (v128.load offset=304 (i32.const 0))))
    (local.set $t (f32x4.div (v128.load offset=256 (i32.const 0))
      (f32x4.add (v128.load offset=256 (i32.const 0)) (f32x4.mul (local.get $z) (v128.load offset=320 (i32.const 0))))))
    (local.set $p (v128.load offset=336 (i32.const 0)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.load offset=352 (i32.const 0))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.load offset=368 (i32.const 0))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.load offset=384 (i32.const 0))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.load offset=400 (i32.const 0))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.load offset=416 (i32.const 0))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.load offset=432 (i32.const 0))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.load offset=448 (i32.const 0))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.load offset=464 (i32.const 0))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.load offset=480 (i32.const 0))))
    ;; erfc(z) = t exp(-z^2 + p)
    (local.set $y (f32x4.mul (local.get $t)
      (call $exp4 (f32x4.sub (local.get $p) (f32x4.mul (local.get $z) (local.get $z))))))
    ;; erf(x) = sign(x) (1 - erfc(|x|)); gelu = 0.5 x (1 + erf)
    (local.set $y (v128.or
      (v128.and (f32x4.sub (v128.load offset=256 (i32.const 0)) (local.get $y)) (v128.load offset=496 (i32.const 0)))
      (v128.and (local.get $x) (v128.load offset=512 (i32.const 0)))))
    (f32x4.mul (f32x4.mul (local.get $x) (v128.load offset=320 (i32.const 0)))
      (f32x4.add (v128.load offset=256 (i32.const 0)) (local.get $y))))

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
                (if (i32.eq (local.get $act) (i32.const 2))
                  (then (local.set $v (call $gelu4 (local.get $v))))
                  (else (if (i32.eq (local.get $act) (i32.const 1))
                    (then (local.set $v (f32x4.max (local.get $v) (v128.const f32x4 0 0 0 0)))))))
                (v128.store (local.get $p) (local.get $v))
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

  ;; gemm_nt, then the Linear epilogue on the block just computed (still in cache). $ws: the workspace,
  ;; 24 min(k, 768) + 96 (mb + 1) bytes per thread.
  (func (export "gemm_nt_ep")
        (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $n i32) (param $k i32)
        (param $lda i32) (param $ldb i32) (param $ldc i32) (param $mb i32) (param $bias i32) (param $act i32)
        (param $ws i32)
    (call $gemm_nt (local.get $a) (local.get $b) (local.get $c) (local.get $m) (local.get $n) (local.get $k)
      (local.get $lda) (local.get $ldb) (local.get $ldc) (local.get $mb) (local.get $ws))
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
  ;; addresses, mask [B, S] int32. $scratch holds this thread's S x S scores, the head's v as [hd, S] and the
  ;; GEMM workspace (24 max(S, hd) bytes).
  (func (export "attention")
        (param $q i32) (param $k i32) (param $v i32) (param $mask i32) (param $ctx i32)
        (param $s i32) (param $d i32) (param $nh i32) (param $p0 i32) (param $p1 i32) (param $scratch i32)
    (local $hd i32) (local $pair i32) (local $bi i32) (local $col i32) (local $vt i32) (local $r i32)
    (local $j i32) (local $c i32) (local $src i32) (local $dst i32) (local $ws i32)
    (local.set $hd (i32.div_u (local.get $d) (local.get $nh)))
    (local.set $vt (i32.add (local.get $scratch) (i32.shl (i32.mul (local.get $s) (local.get $s)) (i32.const 2))))
    (local.set $ws (i32.add (local.get $vt) (i32.shl (i32.mul (local.get $hd) (local.get $s)) (i32.const 2))))
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
        (local.get $s) (local.get $s) (local.get $hd) (local.get $d) (local.get $d) (local.get $s) (i32.const 64)
        (local.get $ws))
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
        (local.get $s) (local.get $hd) (local.get $s) (local.get $s) (local.get $s) (local.get $d) (i32.const 64)
        (local.get $ws))
      (local.set $pair (i32.add (local.get $pair) (i32.const 1)))
      (br $pairs))))
)
