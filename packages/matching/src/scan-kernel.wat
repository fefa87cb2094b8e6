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

  ;; A token-set criterion's keys (`TokenOverlap`): key[c] = own[c] for c < m, then for each of the
  ;; row's tokens, given as `count` [first, end) ranges of postings at `ranges`, key[column[p]] +=
  ;; stride for every posting p in its range.
  (func (export "countShared")
    (param $key i32) (param $own i32) (param $m i32) (param $column i32) (param $ranges i32)
    (param $count i32) (param $stride i32)
    (local $r i32) (local $p i32) (local $end i32) (local $slot i32)
    (memory.copy (local.get $key) (local.get $own) (i32.shl (local.get $m) (i32.const 2)))
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
