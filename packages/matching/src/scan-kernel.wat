;; The hot loops of `MentorBounds` (bounded-candidates.ts): a row's pass over every mentor
;; (`scanRow`) and the tables it reads, prepared per row. In JavaScript V8 checks the bounds of
;; each of the pass's ten typed-array reads per mentor; here they cost nothing. With
;; the pass's heap here too, a row no longer crosses into JavaScript for each of the few hundred
;; mentors that beat the bar of their time.
;;
;; Source of `scan-kernel-bytes.ts`: after editing, run `npm run build:scan-kernel`; a test fails
;; while the two differ. The arrays live in the imported memory at offsets set once by `layout`.
(module
  (import "env" "memory" (memory 1))
  (global $m (mut i32) (i32.const 0))
  (global $epsilon (mut f64) (f64.const 0))
  ;; Per mentor: i32 cell, profile, goal key and interest key; f64 skills term (less the price); u8 skip.
  (global $cellOf (mut i32) (i32.const 0))
  (global $profileOf (mut i32) (i32.const 0))
  (global $goalKey (mut i32) (i32.const 0))
  (global $interestKey (mut i32) (i32.const 0))
  (global $skillTerm (mut i32) (i32.const 0))
  (global $skip (mut i32) (i32.const 0))
  ;; Per row: f64 terms by cell, by profile, by goal key and by interest key.
  (global $cellTerm (mut i32) (i32.const 0))
  (global $profileTerm (mut i32) (i32.const 0))
  (global $goalTerm (mut i32) (i32.const 0))
  (global $interestTerm (mut i32) (i32.const 0))
  ;; One f64: the highest sum passed over among mentors not flagged in skip (read, raised).
  (global $result (mut i32) (i32.const 0))
  ;; The mentors recorded by `scanRow` (i32) and their sums (f64), and its heap of sums (f64) and
  ;; their mentors (i32).
  (global $passed (mut i32) (i32.const 0))
  (global $passedSum (mut i32) (i32.const 0))
  (global $heapSum (mut i32) (i32.const 0))
  (global $heapColumn (mut i32) (i32.const 0))
  ;; `scanRow`'s state while it runs: mentors recorded, sums in the heap, its capacity, and the
  ;; allowance of the sums for collapsed groups.
  (global $count (mut i32) (i32.const 0))
  (global $size (mut i32) (i32.const 0))
  (global $kept (mut i32) (i32.const 0))
  (global $uncertain (mut f64) (f64.const 0))

  (func (export "layout")
    (param $m i32) (param $epsilon f64)
    (param $cellOf i32) (param $profileOf i32) (param $goalKey i32) (param $interestKey i32)
    (param $skillTerm i32) (param $skip i32)
    (param $cellTerm i32) (param $profileTerm i32) (param $goalTerm i32) (param $interestTerm i32)
    (param $result i32) (param $passed i32) (param $passedSum i32) (param $heapSum i32) (param $heapColumn i32)
    (global.set $m (local.get $m))
    (global.set $epsilon (local.get $epsilon))
    (global.set $cellOf (local.get $cellOf))
    (global.set $profileOf (local.get $profileOf))
    (global.set $goalKey (local.get $goalKey))
    (global.set $interestKey (local.get $interestKey))
    (global.set $skillTerm (local.get $skillTerm))
    (global.set $skip (local.get $skip))
    (global.set $cellTerm (local.get $cellTerm))
    (global.set $profileTerm (local.get $profileTerm))
    (global.set $goalTerm (local.get $goalTerm))
    (global.set $interestTerm (local.get $interestTerm))
    (global.set $result (local.get $result))
    (global.set $passed (local.get $passed))
    (global.set $passedSum (local.get $passedSum))
    (global.set $heapSum (local.get $heapSum))
    (global.set $heapColumn (local.get $heapColumn)))

  ;; The whole pass of `MentorBounds.scan` over one prepared row: every mentor whose sum reaches the
  ;; bar of its time (and is neither skipped nor forbidden by its cell, sum -Infinity) is recorded
  ;; (`record`). Sums passed over raise `result[0]` (skipped mentors aside). Returns how many were
  ;; recorded. The sum leaves out the price: `MentorBounds` starts each row's skills term from the
  ;; prices negated. The loop keeps to few locals, so that they all stay in registers.
  (func (export "scanRow") (param $bar f64) (param $uncertain f64) (param $kept i32) (result i32)
    (local $c i32) (local $at4 i32) (local $sum f64) (local $passedOver f64)
    (local $m i32) (local $epsilon f64)
    (local $cellOf i32) (local $profileOf i32) (local $goalKey i32) (local $interestKey i32)
    (local $skillTerm i32) (local $cellTerm i32) (local $profileTerm i32) (local $goalTerm i32)
    (local $interestTerm i32)
    (global.set $count (i32.const 0))
    (global.set $size (i32.const 0))
    (global.set $kept (local.get $kept))
    (global.set $uncertain (local.get $uncertain))
    (local.set $m (global.get $m))
    (local.set $epsilon (global.get $epsilon))
    (local.set $cellOf (global.get $cellOf))
    (local.set $profileOf (global.get $profileOf))
    (local.set $goalKey (global.get $goalKey))
    (local.set $interestKey (global.get $interestKey))
    (local.set $skillTerm (global.get $skillTerm))
    (local.set $cellTerm (global.get $cellTerm))
    (local.set $profileTerm (global.get $profileTerm))
    (local.set $goalTerm (global.get $goalTerm))
    (local.set $interestTerm (global.get $interestTerm))
    (local.set $passedOver (f64.load (global.get $result)))
    (block $done
      (loop $mentor
        (br_if $done (i32.ge_u (local.get $c) (local.get $m)))
        (local.set $at4 (i32.shl (local.get $c) (i32.const 2)))
        (local.set $sum
          (f64.add
            (f64.add
              (f64.add
                (f64.add
                  (f64.load (i32.add (local.get $cellTerm)
                    (i32.shl (i32.load (i32.add (local.get $cellOf) (local.get $at4))) (i32.const 3))))
                  (f64.load (i32.add (local.get $profileTerm)
                    (i32.shl (i32.load (i32.add (local.get $profileOf) (local.get $at4))) (i32.const 3)))))
                (f64.load (i32.add (local.get $skillTerm) (i32.shl (local.get $c) (i32.const 3)))))
              (f64.load (i32.add (local.get $goalTerm)
                (i32.shl (i32.load (i32.add (local.get $goalKey) (local.get $at4))) (i32.const 3)))))
            (f64.load (i32.add (local.get $interestTerm)
              (i32.shl (i32.load (i32.add (local.get $interestKey) (local.get $at4))) (i32.const 3))))))
        (if (f64.ge (f64.add (local.get $sum) (local.get $epsilon)) (local.get $bar))
          (then
            (if (i32.and
                  (f64.gt (local.get $sum) (f64.const -inf))
                  (i32.eqz (i32.load8_u (i32.add (global.get $skip) (local.get $c)))))
              (then (local.set $bar (call $record (local.get $c) (local.get $sum) (local.get $bar))))))
          (else
            (if (f64.gt (local.get $sum) (local.get $passedOver))
              (then
                (if (i32.eqz (i32.load8_u (i32.add (global.get $skip) (local.get $c))))
                  (then (local.set $passedOver (local.get $sum))))))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $mentor)))
    (f64.store (global.get $result) (local.get $passedOver))
    (global.get $count))

  ;; Records mentor c and its sum in `passed` and `passedSum` and offers them to the heap of the
  ;; `kept` best sums, in the order `TopK` (candidates.ts) would hold them, whose rules it follows:
  ;; a lower sum, or an equal sum on a later mentor, ranks lower. Returns the bar: once the heap is
  ;; full, its floor less `uncertain` if that is higher.
  (func $record (param $c i32) (param $sum f64) (param $bar f64) (result f64)
    (local $i i32) (local $up i32) (local $child i32)
    (local $least i32) (local $leastSum f64) (local $leastColumn i32) (local $otherSum f64) (local $otherColumn i32)
    (i32.store (i32.add (global.get $passed) (i32.shl (global.get $count) (i32.const 2))) (local.get $c))
    (f64.store (i32.add (global.get $passedSum) (i32.shl (global.get $count) (i32.const 3))) (local.get $sum))
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    ;; The heap keeps the worst kept sum at its root; entries move into a hole
    ;; rather than swap, to the places `TopK`'s swaps give them.
    (if (i32.lt_u (global.get $size) (global.get $kept))
      (then
        ;; Append: the hole rises while the new sum ranks below its parent.
        (local.set $i (global.get $size))
        (global.set $size (i32.add (global.get $size) (i32.const 1)))
        (block $placed
          (loop $siftUp
            (br_if $placed (i32.eqz (local.get $i)))
            (local.set $up (i32.shr_u (i32.sub (local.get $i) (i32.const 1)) (i32.const 1)))
            (local.set $otherSum (f64.load (i32.add (global.get $heapSum) (i32.shl (local.get $up) (i32.const 3)))))
            (local.set $otherColumn (i32.load (i32.add (global.get $heapColumn) (i32.shl (local.get $up) (i32.const 2)))))
            (br_if $placed (i32.eqz (i32.or
              (f64.lt (local.get $sum) (local.get $otherSum))
              (i32.and (f64.eq (local.get $sum) (local.get $otherSum))
                (i32.gt_s (local.get $c) (local.get $otherColumn))))))
            (f64.store (i32.add (global.get $heapSum) (i32.shl (local.get $i) (i32.const 3))) (local.get $otherSum))
            (i32.store (i32.add (global.get $heapColumn) (i32.shl (local.get $i) (i32.const 2))) (local.get $otherColumn))
            (local.set $i (local.get $up))
            (br $siftUp)))
        (f64.store (i32.add (global.get $heapSum) (i32.shl (local.get $i) (i32.const 3))) (local.get $sum))
        (i32.store (i32.add (global.get $heapColumn) (i32.shl (local.get $i) (i32.const 2))) (local.get $c)))
      (else
        ;; Full: unless it ranks below the root, the new sum takes the root's place and
        ;; the hole sinks towards the child that ranks lowest while that one ranks below it.
        (if (i32.eqz (i32.or
              (f64.lt (local.get $sum) (f64.load (global.get $heapSum)))
              (i32.and
                (f64.eq (local.get $sum) (f64.load (global.get $heapSum)))
                (i32.gt_s (local.get $c) (i32.load (global.get $heapColumn))))))
          (then
            (local.set $i (i32.const 0))
            (block $settled
              (loop $siftDown
                (local.set $least (local.get $i))
                (local.set $leastSum (local.get $sum))
                (local.set $leastColumn (local.get $c))
                (local.set $child (i32.add (i32.shl (local.get $i) (i32.const 1)) (i32.const 1)))
                (br_if $settled (i32.ge_u (local.get $child) (global.get $size)))
                (local.set $otherSum (f64.load (i32.add (global.get $heapSum) (i32.shl (local.get $child) (i32.const 3)))))
                (local.set $otherColumn (i32.load (i32.add (global.get $heapColumn) (i32.shl (local.get $child) (i32.const 2)))))
                (if (i32.or
                      (f64.lt (local.get $otherSum) (local.get $leastSum))
                      (i32.and (f64.eq (local.get $otherSum) (local.get $leastSum))
                        (i32.gt_s (local.get $otherColumn) (local.get $leastColumn))))
                  (then
                    (local.set $least (local.get $child))
                    (local.set $leastSum (local.get $otherSum))
                    (local.set $leastColumn (local.get $otherColumn))))
                (local.set $child (i32.add (local.get $child) (i32.const 1)))
                (if (i32.lt_u (local.get $child) (global.get $size))
                  (then
                    (local.set $otherSum (f64.load (i32.add (global.get $heapSum) (i32.shl (local.get $child) (i32.const 3)))))
                    (local.set $otherColumn (i32.load (i32.add (global.get $heapColumn) (i32.shl (local.get $child) (i32.const 2)))))
                    (if (i32.or
                          (f64.lt (local.get $otherSum) (local.get $leastSum))
                          (i32.and (f64.eq (local.get $otherSum) (local.get $leastSum))
                            (i32.gt_s (local.get $otherColumn) (local.get $leastColumn))))
                      (then
                        (local.set $least (local.get $child))
                        (local.set $leastSum (local.get $otherSum))
                        (local.set $leastColumn (local.get $otherColumn))))))
                (br_if $settled (i32.eq (local.get $least) (local.get $i)))
                (f64.store (i32.add (global.get $heapSum) (i32.shl (local.get $i) (i32.const 3))) (local.get $leastSum))
                (i32.store (i32.add (global.get $heapColumn) (i32.shl (local.get $i) (i32.const 2))) (local.get $leastColumn))
                (local.set $i (local.get $least))
                (br $siftDown)))
            (f64.store (i32.add (global.get $heapSum) (i32.shl (local.get $i) (i32.const 3))) (local.get $sum))
            (i32.store (i32.add (global.get $heapColumn) (i32.shl (local.get $i) (i32.const 2))) (local.get $c))))))
    (if (result f64) (i32.eq (global.get $size) (global.get $kept))
      (then (f64.max (local.get $bar) (f64.sub (f64.load (global.get $heapSum)) (global.get $uncertain))))
      (else (local.get $bar))))

  ;; The per-row tables `MentorBounds.prepare` builds, from small per-row term tables through
  ;; per-mentor or per-cell indexes: the same gathers as in JavaScript, without its bounds checks.

  ;; out[x] = a[ia[x]] + b[ib[x]] + c[ic[x]] for x < count (the cells' terms).
  (func (export "sumOfThree")
    (param $out i32) (param $count i32)
    (param $a i32) (param $ia i32) (param $b i32) (param $ib i32) (param $c i32) (param $ic i32)
    (local $x i32) (local $at4 i32)
    (block $done
      (loop $entry
        (br_if $done (i32.ge_u (local.get $x) (local.get $count)))
        (local.set $at4 (i32.shl (local.get $x) (i32.const 2)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $x) (i32.const 3)))
          (f64.add
            (f64.add
              (f64.load (i32.add (local.get $a)
                (i32.shl (i32.load (i32.add (local.get $ia) (local.get $at4))) (i32.const 3))))
              (f64.load (i32.add (local.get $b)
                (i32.shl (i32.load (i32.add (local.get $ib) (local.get $at4))) (i32.const 3)))))
            (f64.load (i32.add (local.get $c)
              (i32.shl (i32.load (i32.add (local.get $ic) (local.get $at4))) (i32.const 3))))))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $entry))))

  ;; out[x] = wa * a[ia[x]] + wbc * (b[ib[x]] + c[ic[x]]) for x < count (the profiles' terms).
  (func (export "weightedSumOfThree")
    (param $out i32) (param $count i32) (param $wa f64) (param $wbc f64)
    (param $a i32) (param $ia i32) (param $b i32) (param $ib i32) (param $c i32) (param $ic i32)
    (local $x i32) (local $at4 i32)
    (block $done
      (loop $entry
        (br_if $done (i32.ge_u (local.get $x) (local.get $count)))
        (local.set $at4 (i32.shl (local.get $x) (i32.const 2)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $x) (i32.const 3)))
          (f64.add
            (f64.mul (local.get $wa)
              (f64.load (i32.add (local.get $a)
                (i32.shl (i32.load (i32.add (local.get $ia) (local.get $at4))) (i32.const 3)))))
            (f64.mul (local.get $wbc)
              (f64.add
                (f64.load (i32.add (local.get $b)
                  (i32.shl (i32.load (i32.add (local.get $ib) (local.get $at4))) (i32.const 3))))
                (f64.load (i32.add (local.get $c)
                  (i32.shl (i32.load (i32.add (local.get $ic) (local.get $at4))) (i32.const 3))))))))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $entry))))

  ;; A token-set criterion's keys (`TokenOverlap`): key[c] = own[c] + stride * shared[c] for c < m,
  ;; where shared[c] counts the row's tokens that mentor c holds. The most common tokens are bits of
  ;; `mask[c]` and of `rowMask`: those shared are counted four mentors at a time (lane popcounts),
  ;; as a row of common words would otherwise add to nearly every key through its postings. The
  ;; row's other tokens are given as `count` [first, end) ranges of postings at `ranges`, and
  ;; key[column[p]] += stride for every posting p in them.
  (func (export "countShared")
    (param $key i32) (param $own i32) (param $mask i32) (param $rowMask i32) (param $m i32)
    (param $column i32) (param $ranges i32) (param $count i32) (param $stride i32)
    (local $c i32) (local $at i32) (local $lanesEnd i32) (local $rowBits v128) (local $strides v128)
    (local $r i32) (local $p i32) (local $end i32) (local $slot i32)
    (if (i32.eqz (local.get $rowMask))
      (then (memory.copy (local.get $key) (local.get $own) (i32.shl (local.get $m) (i32.const 2))))
      (else
        (local.set $rowBits (i32x4.splat (local.get $rowMask)))
        (local.set $strides (i32x4.splat (local.get $stride)))
        (local.set $lanesEnd (i32.and (local.get $m) (i32.const -4)))
        (block $lanesDone
          (loop $lanes
            (br_if $lanesDone (i32.ge_u (local.get $c) (local.get $lanesEnd)))
            (local.set $at (i32.shl (local.get $c) (i32.const 2)))
            (v128.store (i32.add (local.get $key) (local.get $at))
              (i32x4.add
                (v128.load (i32.add (local.get $own) (local.get $at)))
                (i32x4.mul (local.get $strides)
                  (i32x4.extadd_pairwise_i16x8_u
                    (i16x8.extadd_pairwise_i8x16_u
                      (i8x16.popcnt
                        (v128.and (v128.load (i32.add (local.get $mask) (local.get $at))) (local.get $rowBits))))))))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $lanes)))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $c) (local.get $m)))
            (local.set $at (i32.shl (local.get $c) (i32.const 2)))
            (i32.store (i32.add (local.get $key) (local.get $at))
              (i32.add
                (i32.load (i32.add (local.get $own) (local.get $at)))
                (i32.mul (local.get $stride)
                  (i32.popcnt
                    (i32.and (i32.load (i32.add (local.get $mask) (local.get $at))) (local.get $rowMask))))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $tail)))))
    (block $done
      (loop $range
        (br_if $done (i32.ge_u (local.get $r) (local.get $count)))
        (local.set $p (i32.load (i32.add (local.get $ranges) (i32.shl (local.get $r) (i32.const 3)))))
        (local.set $end (i32.load offset=4 (i32.add (local.get $ranges) (i32.shl (local.get $r) (i32.const 3)))))
        (block $posted
          (loop $posting
            (br_if $posted (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $slot (i32.add (local.get $key)
              (i32.shl (i32.load (i32.add (local.get $column) (i32.shl (local.get $p) (i32.const 2)))) (i32.const 2))))
            (i32.store (local.get $slot) (i32.add (i32.load (local.get $slot)) (local.get $stride)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $posting)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $range))))

  ;; One wanted skill's coverage added to the skills term of each mentor offering it (postings
  ;; [first, end) of `column`, with the level offered in `level`): as `MentorBounds.prepareSkills`
  ;; writes it, lift = (level - current) / needed clamped to [0, 1] without branches.
  (func (export "addSkill")
    (param $term i32) (param $column i32) (param $level i32) (param $first i32) (param $end i32)
    (param $current f64) (param $perLevel f64) (param $quarter f64)
    (local $p i32) (local $lift f64) (local $twiceAtMostOne f64) (local $slot i32)
    (local.set $p (local.get $first))
    (block $done
      (loop $posting
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $lift
          (f64.mul
            (f64.sub (f64.load (i32.add (local.get $level) (i32.shl (local.get $p) (i32.const 3))))
              (local.get $current))
            (local.get $perLevel)))
        (local.set $twiceAtMostOne
          (f64.sub (f64.add (local.get $lift) (f64.const 1))
            (f64.abs (f64.sub (local.get $lift) (f64.const 1)))))
        (local.set $slot (i32.add (local.get $term)
          (i32.shl (i32.load (i32.add (local.get $column) (i32.shl (local.get $p) (i32.const 2)))) (i32.const 3))))
        (f64.store (local.get $slot)
          (f64.add (f64.load (local.get $slot))
            (f64.mul (local.get $quarter)
              (f64.add (local.get $twiceAtMostOne) (f64.abs (local.get $twiceAtMostOne))))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $posting))))
)
