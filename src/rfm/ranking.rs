//! Equal-frequency scores with ties sharing a score, computed by counting or sorting the keys.
//!
//! Customers are ordered from worst to best on a dimension; a group of customers with the same
//! value starts at 0-based position `first` of `n`, and every member gets
//! `score = 1 + floor(bins × first / n)`: the score of the bin its worst-placed member falls in.
//! `first ≤ n − 1`, so the score is always in `1..=bins`; without ties each bin holds `n / bins`
//! customers (±1). The worst value always scores 1; a tied group straddling a boundary is not
//! split, so the bins above it are smaller (or empty, e.g. when more than a fifth of the customers
//! share the best value).

/// The score of a tied group whose worst-placed member is at 0-based position `first` of `n`.
pub fn score_at(first: usize, n: usize, bins: u32) -> u8 {
    (1 + bins as u64 * first as u64 / n.max(1) as u64) as u8
}

/// Maps a score on `bins` bins to the 1–5 scale of the rule table: the centre of bin `s`,
/// `(s − ½) / bins` of the way up, falls in one of five equal fifths. Scores 1 and `bins` map to 1
/// and 5; with 5 bins every score maps to itself; with 10 bins 1–2 → 1, 3–4 → 2, … 9–10 → 5.
pub fn rescale_to_five(score: u8, bins: u32) -> u8 {
    let score = score as u32;
    (1 + (10 * score).saturating_sub(5) / (2 * bins)) as u8
}

/// A key whose unsigned order is the numeric order of `value` (negative values included).
pub fn ordered_bits(value: f64) -> u64 {
    let bits = value.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// The value of an [`ordered_bits`] key.
pub fn amount_of_ordered_bits(key: u64) -> f64 {
    f64::from_bits(if key >> 63 == 1 {
        key & !(1 << 63)
    } else {
        !key
    })
}

/// Largest amount whose millionths still fit exactly in an `f64` mantissa (2^53 / 10^6).
const EXACT_MICROS_LIMIT: f64 = 9.0e9;

/// Sort keys for amounts, in the same order as the amounts and equal exactly when they are.
///
/// Amounts are settled to millionths (see `settle`), so `round(amount × 10^6)` is an exact integer
/// for amounts within ±9·10^9; beyond, the integers would no longer be exact, and the float bits
/// are used instead.
pub fn amount_keys(amounts: &[f64]) -> impl Iterator<Item = u64> + Clone + '_ {
    let exact = amounts.iter().all(|a| a.abs() < EXACT_MICROS_LIMIT);
    amounts.iter().map(move |&a| {
        if exact {
            ((a * 1e6).round() as i64 as u64) ^ (1 << 63)
        } else {
            ordered_bits(a)
        }
    })
}

/// Key ranges up to this size are scored by counting values instead of sorting.
const COUNTING_RANGE: u64 = 1 << 20;

/// Scratch reused across the three dimensions.
///
/// Memory per customer is what limits the files a browser can analyse, so the keys are never
/// stored beside the customers' positions: a narrow range of keys (days, order counts) is
/// counted, and a wide one (amounts) is sorted with each customer's position packed into the
/// low bits of its key, in place — 8 bytes per customer, where a radix sort carrying keys and
/// positions side by side, with its buffers, took 32.
#[derive(Default)]
pub struct Ranker {
    sorted: Vec<u64>,
    counts: Vec<u32>,
    /// Bits of a position packed below each key in `sorted`, after a packed sort.
    position_bits: Option<u32>,
}

impl Ranker {
    /// Scores every customer on one dimension: key `i` is customer `i`'s value, larger = better.
    /// Writes the score on `bins` bins and the quartile score (the same rule with 4 bins).
    pub fn score(
        &mut self,
        keys: impl Iterator<Item = u64> + Clone,
        bins: u32,
        score: &mut [u8],
        quartile: &mut [u8],
    ) {
        self.position_bits = None;
        let (mut n, mut min, mut max) = (0, u64::MAX, 0);
        for key in keys.clone() {
            n += 1;
            min = min.min(key);
            max = max.max(key);
        }
        if n == 0 {
            return;
        }
        if max - min < COUNTING_RANGE {
            self.score_by_counting(keys, n, min, max, bins, score, quartile);
            return;
        }
        let position_bits = u64::BITS - (n as u64 - 1).leading_zeros();
        let key_bits = u64::BITS - (max - min).leading_zeros();
        if key_bits + position_bits > u64::BITS {
            // Keys as wide as a float's bits: find each customer's key in the sorted keys.
            self.sort(keys.clone(), 0);
            for (i, key) in keys.enumerate() {
                let first = self.sorted.partition_point(|&k| k < key);
                score[i] = score_at(first, n, bins);
                quartile[i] = score_at(first, n, 4);
            }
            return;
        }
        // The usual case: key and position packed in one word, sorted on the key bits.
        let packed = keys
            .enumerate()
            .map(|(i, key)| (key - min) << position_bits | i as u64);
        self.sort(packed, position_bits);
        self.position_bits = Some(position_bits);
        let mut first = 0;
        while first < n {
            let value = self.sorted[first] >> position_bits;
            let mut end = first + 1;
            while end < n && self.sorted[end] >> position_bits == value {
                end += 1;
            }
            let (group_score, group_quartile) = (score_at(first, n, bins), score_at(first, n, 4));
            for &packed in &self.sorted[first..end] {
                let i = (packed & ((1 << position_bits) - 1)) as usize;
                score[i] = group_score;
                quartile[i] = group_quartile;
            }
            first = end;
        }
    }

    /// After [`Ranker::score`] sorted its keys with their positions: the positions in ascending
    /// order of the keys (ties in any order).
    pub fn sorted_positions(&self) -> Option<impl DoubleEndedIterator<Item = usize> + '_> {
        let bits = self.position_bits?;
        Some(
            self.sorted
                .iter()
                .map(move |&packed| (packed & ((1 << bits) - 1)) as usize),
        )
    }

    /// The keys in ascending order of their bits from `from_bit` up (keys equal in those bits
    /// in any order).
    pub fn sort(&mut self, keys: impl Iterator<Item = u64>, from_bit: u32) -> &[u64] {
        self.sorted.clear();
        self.sorted.extend(keys);
        radix_sort(&mut self.sorted, from_bit);
        &self.sorted
    }

    /// Small key ranges: count each value; the first rank of a value is the number of customers
    /// with a smaller one.
    #[allow(clippy::too_many_arguments)]
    fn score_by_counting(
        &mut self,
        keys: impl Iterator<Item = u64> + Clone,
        n: usize,
        min: u64,
        max: u64,
        bins: u32,
        score: &mut [u8],
        quartile: &mut [u8],
    ) {
        let range = (max - min) as usize + 1;
        self.counts.clear();
        self.counts.resize(range, 0);
        for key in keys.clone() {
            self.counts[(key - min) as usize] += 1;
        }
        // Per value: the score and quartile of its tied group, packed as score << 8 | quartile.
        let mut first = 0usize;
        for count in self.counts.iter_mut() {
            let here = *count as usize;
            *count = (score_at(first, n, bins) as u32) << 8 | score_at(first, n, 4) as u32;
            first += here;
        }
        for (i, key) in keys.enumerate() {
            let packed = self.counts[(key - min) as usize];
            score[i] = (packed >> 8) as u8;
            quartile[i] = packed as u8;
        }
    }
}

/// Bits per radix digit.
const DIGIT_BITS: u32 = 8;
const BUCKETS: usize = 1 << DIGIT_BITS;
/// Buckets this small are finished by insertion sort.
const SMALL: usize = 64;

/// Sorts `keys` by their bits from `from_bit` up, in place (MSD radix sort, "American flag"
/// style: each digit's buckets are filled by swapping keys into place, then sorted on the next
/// digit), so it needs no buffer as large as the keys. Digits above the highest bit any key has
/// are skipped. Not stable: keys equal in the sorted bits come out in any order.
fn radix_sort(keys: &mut [u64], from_bit: u32) {
    let top_bit = u64::BITS - keys.iter().fold(0, |all, &k| all | k).leading_zeros();
    if top_bit > from_bit {
        sort_digit(
            keys,
            top_bit.saturating_sub(DIGIT_BITS).max(from_bit),
            from_bit,
        );
    }
}

fn sort_digit(keys: &mut [u64], shift: u32, from_bit: u32) {
    if keys.len() <= SMALL {
        for i in 1..keys.len() {
            let mut j = i;
            while j > 0 && keys[j - 1] >> from_bit > keys[j] >> from_bit {
                keys.swap(j - 1, j);
                j -= 1;
            }
        }
        return;
    }
    let digit = |key: u64| (key >> shift) as usize & (BUCKETS - 1);
    let lower = shift.saturating_sub(DIGIT_BITS).max(from_bit);
    let mut ends = [0u32; BUCKETS];
    for &key in keys.iter() {
        ends[digit(key)] += 1;
    }
    if ends.contains(&(keys.len() as u32)) {
        // Every key has this digit: on to the next.
        if shift > from_bit {
            sort_digit(keys, lower, from_bit);
        }
        return;
    }
    let mut starts = [0u32; BUCKETS];
    let mut total = 0;
    for (start, end) in starts.iter_mut().zip(ends.iter_mut()) {
        *start = total;
        total += *end;
        *end = total;
    }
    // `next[b]`: the first position of bucket b not yet holding one of its keys.
    let mut next = starts;
    for bucket in 0..BUCKETS {
        while next[bucket] < ends[bucket] {
            let key = keys[next[bucket] as usize];
            let home = digit(key);
            if home == bucket {
                next[bucket] += 1;
            } else {
                keys.swap(next[bucket] as usize, next[home] as usize);
                next[home] += 1;
            }
        }
    }
    if shift > from_bit {
        for (&start, &end) in starts.iter().zip(ends.iter()) {
            if end - start > 1 {
                sort_digit(&mut keys[start as usize..end as usize], lower, from_bit);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scores_of(values: &[u64], bins: u32) -> Vec<u8> {
        let mut score = vec![0; values.len()];
        let mut quartile = vec![0; values.len()];
        Ranker::default().score(values.iter().copied(), bins, &mut score, &mut quartile);
        score
    }

    #[test]
    fn scores_follow_the_documented_rule() {
        let cases: [(&[u64], u32, &[u8]); 8] = [
            // no ties: two customers per bin
            (
                &[10, 1, 9, 2, 8, 3, 7, 4, 6, 5],
                5,
                &[5, 1, 5, 1, 4, 2, 4, 2, 3, 3],
            ),
            // the tie at positions 1–3 takes the score of position 1 (bin 1), not split
            (
                &[1, 2, 2, 2, 3, 4, 5, 6, 7, 8],
                5,
                &[1, 1, 1, 1, 3, 3, 4, 4, 5, 5],
            ),
            // the best value shared by 40%: the group starts at 6/10 → score 4, no 5
            (
                &[1, 2, 3, 4, 5, 6, 9, 9, 9, 9],
                5,
                &[1, 1, 2, 2, 3, 3, 4, 4, 4, 4],
            ),
            // everyone tied: everyone scores 1
            (&[7, 7, 7], 5, &[1, 1, 1]),
            // fewer customers than bins: 1 + floor(5 × position / 3)
            (&[30, 10, 20], 5, &[4, 1, 2]),
            (&[42], 10, &[1]),
            (&[1, 2, 3, 4, 5, 6], 3, &[1, 1, 2, 2, 3, 3]),
            (
                &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
                10,
                &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
            ),
        ];
        for (values, bins, expected) in cases {
            assert_eq!(
                scores_of(values, bins),
                expected,
                "values {values:?}, bins {bins}"
            );
        }
    }

    #[test]
    fn scores_stay_in_range_and_ties_share() {
        for bins in 3..=10 {
            for n in 1..60u64 {
                let values: Vec<u64> = (0..n).map(|i| (i * 7919) % (n / 3 + 1)).collect();
                let scores = scores_of(&values, bins);
                for (i, &score) in scores.iter().enumerate() {
                    assert!(
                        (1..=bins as u8).contains(&score),
                        "bins {bins} n {n}: {score}"
                    );
                    for (j, &other) in scores.iter().enumerate() {
                        if values[i] == values[j] {
                            assert_eq!(score, other, "a tie was split");
                        }
                        if values[i] < values[j] {
                            assert!(score <= other, "scores must not decrease with the value");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn amount_keys_order_large_and_negative_values() {
        let ascending = |values: &[f64]| {
            let mut by_key: Vec<(u64, f64)> = amount_keys(values).zip(values.to_vec()).collect();
            by_key.sort_by_key(|&(key, _)| key);
            by_key.into_iter().map(|(_, v)| v).collect::<Vec<_>>()
        };
        let sorted = |values: &[f64]| {
            let mut sorted = values.to_vec();
            sorted.sort_by(f64::total_cmp);
            sorted
        };
        let values = [3.5, -2.0, 0.0, 1e12, -1e-3, 42.25, -7e9, 0.1 + 0.2];
        assert_eq!(
            ascending(&values),
            sorted(&values),
            "1e12 falls back to float bits"
        );
        let small = [3.5, -2.0, 0.0, -1e-3, 42.25, -7e9, 0.3];
        assert_eq!(ascending(&small), sorted(&small));
        assert!(ordered_bits(-1.0) < ordered_bits(0.0) && ordered_bits(0.0) < ordered_bits(1.0));
        for value in values
            .into_iter()
            .chain([f64::MAX, -0.0, f64::MIN_POSITIVE])
        {
            assert_eq!(
                amount_of_ordered_bits(ordered_bits(value)).to_bits(),
                value.to_bits()
            );
        }
    }

    #[test]
    fn counting_and_sorting_give_the_same_scores() {
        // Spreads wider than the counting range force the sorting paths for the same ranks:
        // key and position packed in a word, and keys too wide for that (found by search).
        let narrow: Vec<u64> = (0..500u64).map(|i| (i * 7919) % 97).collect();
        let wide: Vec<u64> = narrow.iter().map(|&v| v * (COUNTING_RANGE / 10)).collect();
        let widest: Vec<u64> = narrow.iter().map(|&v| v << 57).collect();
        for bins in [3, 5, 10] {
            let expected = scores_of(&narrow, bins);
            assert_eq!(scores_of(&wide, bins), expected, "bins {bins}");
            assert_eq!(scores_of(&widest, bins), expected, "bins {bins}");
        }
    }

    #[test]
    fn radix_sort_agrees_with_the_standard_sort() {
        let mut seed = 11u64;
        let mut random = || {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            seed
        };
        for (n, bits, from_bit) in [
            (0, 64, 0),
            (5, 64, 0),
            (1_000, 64, 0),
            (20_000, 64, 0),
            (20_000, 20, 0),
            (20_000, 40, 17),
            (3_000, 3, 0),
        ] {
            let keys: Vec<u64> = (0..n).map(|_| random() >> (64 - bits)).collect();
            let mut sorted = keys.clone();
            radix_sort(&mut sorted, from_bit);
            let mut expected: Vec<u64> = keys.iter().map(|k| k >> from_bit).collect();
            expected.sort_unstable();
            let got: Vec<u64> = sorted.iter().map(|k| k >> from_bit).collect();
            assert_eq!(got, expected, "n {n} bits {bits} from bit {from_bit}");
            let (mut a, mut b) = (sorted, keys);
            a.sort_unstable();
            b.sort_unstable();
            assert_eq!(a, b, "the same keys, reordered");
        }
    }

    #[test]
    fn rescaling_keeps_the_ends_and_the_identity() {
        for bins in 3..=10 {
            assert_eq!(rescale_to_five(1, bins), 1);
            assert_eq!(rescale_to_five(bins as u8, bins), 5);
            for s in 2..=bins as u8 {
                assert!(rescale_to_five(s, bins) >= rescale_to_five(s - 1, bins));
            }
        }
        let cases: [(u32, [u8; 10]); 4] = [
            (5, [1, 2, 3, 4, 5, 0, 0, 0, 0, 0]),
            (3, [1, 3, 5, 0, 0, 0, 0, 0, 0, 0]),
            (4, [1, 2, 4, 5, 0, 0, 0, 0, 0, 0]),
            (10, [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]),
        ];
        for (bins, expected) in cases {
            let got: Vec<u8> = (1..=bins as u8).map(|s| rescale_to_five(s, bins)).collect();
            assert_eq!(got, expected[..bins as usize], "bins {bins}");
        }
    }
}
