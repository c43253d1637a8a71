//! Equal-frequency scores with ties sharing a score, computed by counting or sorting the keys.
//!
//! Customers are ordered from worst to best on a dimension; a group of customers with the same
//! value starts at 0-based position `first` of `n`, and every member gets
//! `score = 1 + floor(bins × first / n)`: the score of the bin its worst-placed member falls in.
//! `first ≤ n − 1`, so the score is always in `1..=bins`; without ties each bin holds `n / bins`
//! customers (±1). The worst value always scores 1; a tied group straddling a boundary is not
//! split, so the bins above it are smaller (or empty, e.g. when more than a fifth of the customers
//! share the best value).

use crate::sort;

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

/// The smallest and largest of `key(0..n)`, `None` when `n` is 0.
pub fn key_range(n: usize, key: &impl Fn(usize) -> u64) -> Option<(u64, u64)> {
    (0..n).map(key).fold(None, |range, k| match range {
        None => Some((k, k)),
        Some((min, max)) => Some((k.min(min), k.max(max))),
    })
}

/// Largest amount whose millionths still fit exactly in an `f64` mantissa (2^53 / 10^6).
const EXACT_MICROS_LIMIT: f64 = 9.0e9;

/// Sort keys for amounts, in the same order as the amounts and equal exactly when they are.
///
/// Amounts are settled to millionths (see `settle`), so `round(amount × 10^6)` is an exact integer
/// for amounts within ±9·10^9, and its range is usually narrow enough (30–40 bits) for a key and
/// a customer's position to share a word; beyond, the float bits are used.
pub fn amount_key(amounts: &[f64]) -> impl Fn(usize) -> u64 + '_ {
    let exact = amounts.iter().all(|a| a.abs() < EXACT_MICROS_LIMIT);
    move |i| {
        if exact {
            ((amounts[i] * 1e6).round() as i64 as u64) ^ (1 << 63)
        } else {
            ordered_bits(amounts[i])
        }
    }
}

/// Key ranges up to this size are scored by counting values instead of sorting.
const COUNTING_RANGE: u64 = 1 << 20;

/// Scratch reused across the three dimensions.
///
/// Memory per customer is what limits the files a browser can analyse, so keys are not stored
/// beside the customers' positions: a narrow range of keys (days, order counts) is counted; a
/// wide one (amounts) is sorted in place as one word per customer holding the key above the
/// position (8 bytes, read in order, so fast), or, when the two do not fit in 64 bits, as the
/// positions alone, each key read where it is (4 bytes, but scattered reads). A radix sort
/// carrying keys and positions side by side, with its buffers, took 32.
#[derive(Default)]
pub struct Ranker {
    /// `(key − min) << position_bits | position`, ascending, after a packed sort.
    packed: Vec<u64>,
    position_bits: u32,
    /// Positions in ascending order of their keys, after a sort that could not pack them.
    positions: Vec<u32>,
    counts: Vec<u32>,
}

impl Ranker {
    /// Scores `n` customers on one dimension: `key(i)` is customer `i`'s value, larger = better.
    /// Writes the score on `bins` bins and the quartile score (the same rule with 4 bins).
    pub fn score(
        &mut self,
        n: usize,
        key: impl Fn(usize) -> u64,
        bins: u32,
        score: &mut [u8],
        quartile: &mut [u8],
    ) {
        self.packed.clear();
        self.positions.clear();
        let Some((min, max)) = key_range(n, &key) else {
            return;
        };
        if max - min < COUNTING_RANGE {
            self.score_by_counting(n, key, min, max, bins, score, quartile);
            return;
        }
        let key = |i: usize| key(i) - min;
        self.sort_positions(n, &key, max - min);
        // Every member of a tied group scores as its first, worst-placed one.
        let (mut group_key, mut group_scores) = (None, (0, 0));
        for (place, i) in self.sorted_positions().into_iter().flatten().enumerate() {
            let value = key(i);
            if group_key != Some(value) {
                group_key = Some(value);
                group_scores = (score_at(place, n, bins), score_at(place, n, 4));
            }
            (score[i], quartile[i]) = group_scores;
        }
    }

    /// After a sort: the positions in ascending order of their keys (ties in any order).
    pub fn sorted_positions(&self) -> Option<impl DoubleEndedIterator<Item = usize> + '_> {
        if self.packed.is_empty() && self.positions.is_empty() {
            return None;
        }
        let mask = (1u64 << self.position_bits) - 1;
        let packed = self.packed.iter().map(move |&word| (word & mask) as usize);
        Some(packed.chain(self.positions.iter().map(|&p| p as usize)))
    }

    /// Sorts positions `0..n` by `key` (at most `largest`), ties in any order; read them with
    /// [`Ranker::sorted_positions`].
    pub fn sort_positions(&mut self, n: usize, key: &impl Fn(usize) -> u64, largest: u64) {
        self.packed.clear();
        self.positions.clear();
        let position_bits = u64::BITS - (n.max(2) as u64 - 1).leading_zeros();
        let key_bits = u64::BITS - largest.leading_zeros();
        if key_bits + position_bits <= u64::BITS {
            self.position_bits = position_bits;
            self.packed
                .extend((0..n).map(|i| key(i) << position_bits | i as u64));
            sort::radix_sort(
                &mut self.packed,
                &|word: u64| word >> position_bits,
                key_bits,
            );
        } else {
            self.positions.extend(0..n as u32);
            sort::radix_sort(&mut self.positions, &|p: u32| key(p as usize), key_bits);
        }
    }

    /// Small key ranges: count each value; the first rank of a value is the number of customers
    /// with a smaller one.
    #[allow(clippy::too_many_arguments)]
    fn score_by_counting(
        &mut self,
        n: usize,
        key: impl Fn(usize) -> u64,
        min: u64,
        max: u64,
        bins: u32,
        score: &mut [u8],
        quartile: &mut [u8],
    ) {
        let range = (max - min) as usize + 1;
        self.counts.clear();
        self.counts.resize(range, 0);
        for i in 0..n {
            self.counts[(key(i) - min) as usize] += 1;
        }
        // Per value: the score and quartile of its tied group, packed as score << 8 | quartile.
        let mut first = 0usize;
        for count in self.counts.iter_mut() {
            let here = *count as usize;
            *count = (score_at(first, n, bins) as u32) << 8 | score_at(first, n, 4) as u32;
            first += here;
        }
        for i in 0..n {
            let packed = self.counts[(key(i) - min) as usize];
            score[i] = (packed >> 8) as u8;
            quartile[i] = packed as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scores_of(values: &[u64], bins: u32) -> Vec<u8> {
        let mut score = vec![0; values.len()];
        let mut quartile = vec![0; values.len()];
        Ranker::default().score(values.len(), |i| values[i], bins, &mut score, &mut quartile);
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
    fn ordered_bits_order_large_and_negative_values() {
        let values = [
            3.5,
            -2.0,
            0.0,
            1e12,
            -1e-3,
            42.25,
            -7e9,
            0.1 + 0.2,
            f64::MAX,
            f64::MIN,
        ];
        let mut by_key = values.to_vec();
        by_key.sort_by_key(|&v| ordered_bits(v));
        let mut expected = values.to_vec();
        expected.sort_by(f64::total_cmp);
        assert_eq!(by_key, expected);
    }

    #[test]
    fn counting_and_sorting_give_the_same_scores() {
        // Spreads wider than the counting range force the sorting path for the same ranks.
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
        let mut random = crate::fixtures::Lcg::new(11);
        for (n, bits) in [
            (0, 64),
            (5, 64),
            (1_000, 64),
            (20_000, 64),
            (20_000, 20),
            (3_000, 3),
        ] {
            let keys: Vec<u64> = (0..n).map(|_| random.next() >> (64 - bits)).collect();
            let mut ranker = Ranker::default();
            let largest = keys.iter().copied().max().unwrap_or(0);
            ranker.sort_positions(n, &|i| keys[i], largest);
            let sorted: Vec<u64> = ranker
                .sorted_positions()
                .into_iter()
                .flatten()
                .map(|p| keys[p])
                .collect();
            let mut expected = keys.clone();
            expected.sort_unstable();
            assert_eq!(sorted, expected, "n {n} bits {bits}");
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
