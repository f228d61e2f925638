;; Dot products of one query with many rows, four lanes at a time (WebAssembly SIMD).
;; Regenerate core/vector/kernels/dotProducts.wasm.ts after editing: npm run build:kernels
(module
  (import "env" "memory" (memory 1))
  ;; out[r] = dot(query, row r) for r < rows. Rows lie one after another from $data, $stride
  ;; floats each; $stride is a multiple of 8 and the floats past a vector's end are zero.
  (func (export "dotProducts") (param $query i32) (param $data i32) (param $rows i32) (param $stride i32) (param $out i32)
    (local $row i32) (local $end i32) (local $rowBytes i32) (local $i i32) (local $a v128) (local $b v128)
    (local.set $rowBytes (i32.shl (local.get $stride) (i32.const 2)))
    (local.set $row (local.get $data))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $rows) (i32.const 2))))
    (block $rowsDone
      (loop $eachRow
        (br_if $rowsDone (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $a (v128.const f32x4 0 0 0 0))
        (local.set $b (v128.const f32x4 0 0 0 0))
        (local.set $i (i32.const 0))
        (block $rowDone
          (loop $eachEight
            (br_if $rowDone (i32.ge_u (local.get $i) (local.get $rowBytes)))
            (local.set $a
              (f32x4.add (local.get $a)
                (f32x4.mul
                  (v128.load (i32.add (local.get $row) (local.get $i)))
                  (v128.load (i32.add (local.get $query) (local.get $i))))))
            (local.set $b
              (f32x4.add (local.get $b)
                (f32x4.mul
                  (v128.load offset=16 (i32.add (local.get $row) (local.get $i)))
                  (v128.load offset=16 (i32.add (local.get $query) (local.get $i))))))
            (local.set $i (i32.add (local.get $i) (i32.const 32)))
            (br $eachEight)))
        (local.set $a (f32x4.add (local.get $a) (local.get $b)))
        (f32.store (local.get $out)
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $a)) (f32x4.extract_lane 1 (local.get $a)))
            (f32.add (f32x4.extract_lane 2 (local.get $a)) (f32x4.extract_lane 3 (local.get $a)))))
        (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $eachRow))))
)
