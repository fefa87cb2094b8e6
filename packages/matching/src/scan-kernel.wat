;; The hot loop of `MentorBounds.scan` (bounded-candidates.ts): the first mentor from `from` on whose
;; sum of terms less price reaches `bar`. The same loop in JavaScript took 0.11 ms per 25,000
;; mentors, this one 0.05 ms: V8 checks the bounds of each of its ten typed-array reads.
;;
;; Source of `scan-kernel-bytes.ts`: after editing, run `npm run build:scan-kernel`; a test fails
;; while the two differ. The arrays live in the imported memory at offsets set once by `layout`.
(module
  (import "env" "memory" (memory 1))
  (global $m (mut i32) (i32.const 0))
  (global $epsilon (mut f64) (f64.const 0))
  ;; Per mentor: i32 cell, profile, goal key and interest key; f64 skills term and price; u8 skip.
  (global $cellOf (mut i32) (i32.const 0))
  (global $profileOf (mut i32) (i32.const 0))
  (global $goalKey (mut i32) (i32.const 0))
  (global $interestKey (mut i32) (i32.const 0))
  (global $skillTerm (mut i32) (i32.const 0))
  (global $price (mut i32) (i32.const 0))
  (global $skip (mut i32) (i32.const 0))
  ;; Per row: f64 terms by cell, by profile, by goal key and by interest key.
  (global $cellTerm (mut i32) (i32.const 0))
  (global $profileTerm (mut i32) (i32.const 0))
  (global $goalTerm (mut i32) (i32.const 0))
  (global $interestTerm (mut i32) (i32.const 0))
  ;; Two f64: the highest sum passed over so far among mentors not flagged in skip (read, raised);
  ;; the sum of the mentor returned (written).
  (global $result (mut i32) (i32.const 0))

  (func (export "layout")
    (param $m i32) (param $epsilon f64)
    (param $cellOf i32) (param $profileOf i32) (param $goalKey i32) (param $interestKey i32)
    (param $skillTerm i32) (param $price i32) (param $skip i32)
    (param $cellTerm i32) (param $profileTerm i32) (param $goalTerm i32) (param $interestTerm i32)
    (param $result i32)
    (global.set $m (local.get $m))
    (global.set $epsilon (local.get $epsilon))
    (global.set $cellOf (local.get $cellOf))
    (global.set $profileOf (local.get $profileOf))
    (global.set $goalKey (local.get $goalKey))
    (global.set $interestKey (local.get $interestKey))
    (global.set $skillTerm (local.get $skillTerm))
    (global.set $price (local.get $price))
    (global.set $skip (local.get $skip))
    (global.set $cellTerm (local.get $cellTerm))
    (global.set $profileTerm (local.get $profileTerm))
    (global.set $goalTerm (local.get $goalTerm))
    (global.set $interestTerm (local.get $interestTerm))
    (global.set $result (local.get $result)))

;; Returns the first c ≥ from with sum(c) + epsilon ≥ bar, or m. Each term is added in the order of
  ;; `MentorBounds.upper`, so the sums are the same to the bit. The layout is copied into locals
  ;; first: V8 reloads mutable globals on every use, which made the loop 70 % slower.
  (func (export "next") (param $from i32) (param $bar f64) (result i32)
    (local $c i32) (local $at4 i32) (local $at8 i32) (local $sum f64) (local $passed f64)
    (local $m i32) (local $epsilon f64)
    (local $cellOf i32) (local $profileOf i32) (local $goalKey i32) (local $interestKey i32)
    (local $skillTerm i32) (local $price i32) (local $skip i32)
    (local $cellTerm i32) (local $profileTerm i32) (local $goalTerm i32) (local $interestTerm i32)
    (local.set $m (global.get $m))
    (local.set $epsilon (global.get $epsilon))
    (local.set $cellOf (global.get $cellOf))
    (local.set $profileOf (global.get $profileOf))
    (local.set $goalKey (global.get $goalKey))
    (local.set $interestKey (global.get $interestKey))
    (local.set $skillTerm (global.get $skillTerm))
    (local.set $price (global.get $price))
    (local.set $skip (global.get $skip))
    (local.set $cellTerm (global.get $cellTerm))
    (local.set $profileTerm (global.get $profileTerm))
    (local.set $goalTerm (global.get $goalTerm))
    (local.set $interestTerm (global.get $interestTerm))
    (local.set $c (local.get $from))
    (local.set $passed (f64.load (global.get $result)))
    (block $found
      (loop $mentor
        (br_if $found (i32.ge_u (local.get $c) (local.get $m)))
        (local.set $at4 (i32.shl (local.get $c) (i32.const 2)))
        (local.set $at8 (i32.shl (local.get $c) (i32.const 3)))
        (local.set $sum
          (f64.sub
            (f64.add
              (f64.add
                (f64.add
                  (f64.add
                    (f64.load (i32.add (local.get $cellTerm)
                      (i32.shl (i32.load (i32.add (local.get $cellOf) (local.get $at4))) (i32.const 3))))
                    (f64.load (i32.add (local.get $profileTerm)
                      (i32.shl (i32.load (i32.add (local.get $profileOf) (local.get $at4))) (i32.const 3)))))
                  (f64.load (i32.add (local.get $skillTerm) (local.get $at8))))
                (f64.load (i32.add (local.get $goalTerm)
                  (i32.shl (i32.load (i32.add (local.get $goalKey) (local.get $at4))) (i32.const 3)))))
              (f64.load (i32.add (local.get $interestTerm)
                (i32.shl (i32.load (i32.add (local.get $interestKey) (local.get $at4))) (i32.const 3)))))
            (f64.load (i32.add (local.get $price) (local.get $at8)))))
        (br_if $found (f64.ge (f64.add (local.get $sum) (local.get $epsilon)) (local.get $bar)))
        (if (f64.gt (local.get $sum) (local.get $passed))
          (then
            (if (i32.eqz (i32.load8_u (i32.add (local.get $skip) (local.get $c))))
              (then (local.set $passed (local.get $sum))))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $mentor)))
    (f64.store (global.get $result) (local.get $passed))
    (f64.store offset=8 (global.get $result) (local.get $sum))
    (local.get $c))
)
