//! Equal-frequency scores with ties sharing a score, computed with one radix sort per dimension.
//!
//! Customers are ordered from worst to best on a dimension; a group of customers with the same
//! value starts at 0-based position `first` of `n`, and every member gets
//! `score = 1 + floor(bins × first / n)`: the score of the bin its worst-placed member falls in.
//! `first ≤ n − 1`, so the score is always in `1..=bins`; without ties each bin holds `n / bins`
//! customers (±1). The worst value always scores 1; a tied group straddling a boundary is not
//! split, so the bins above it are smaller (or empty, e.g. when more than a fifth of the customers
//! share the best value).

/// Bits per radix digit: 2,048 buckets keep the histograms in cache; 6 digits cover 64 bits.
const DIGIT_BITS: u32 = 11;
const DIGITS: usize = 64_usize.div_ceil(DIGIT_BITS as usize);
const BUCKETS: usize = 1 << DIGIT_BITS;

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

/// Largest amount whose millionths still fit exactly in an `f64` mantissa (2^53 / 10^6).
const EXACT_MICROS_LIMIT: f64 = 9.0e9;

/// Sort keys for amounts, in the same order as the amounts and equal exactly when they are.
///
/// Amounts are settled to millionths (see `settle`), so `round(amount × 10^6)` is an exact integer
/// whose range is usually small enough for the radix sort to skip most digits (a shop's amounts
/// fit in 30–40 bits, against 64 for the raw float bits). Beyond ±9·10^9 the integers would no
/// longer be exact, so the float bits are used instead.
pub fn amount_keys(amounts: &[f64]) -> Vec<u64> {
    let exact = amounts.iter().all(|a| a.abs() < EXACT_MICROS_LIMIT);
    if exact {
        amounts
            .iter()
            .map(|&a| ((a * 1e6).round() as i64 as u64) ^ (1 << 63))
            .collect()
    } else {
        amounts.iter().map(|&a| ordered_bits(a)).collect()
    }
}

/// Key ranges up to this size are scored by counting values instead of sorting.
const COUNTING_RANGE: u64 = 1 << 20;

/// Sort buffers reused across the three dimensions, so scoring allocates a fixed number of
/// vectors whatever the number of customers.
#[derive(Default)]
pub struct Ranker {
    keys: Vec<u64>,
    ids: Vec<u32>,
    key_buffer: Vec<u64>,
    id_buffer: Vec<u32>,
    counts: Vec<u32>,
}

impl Ranker {
    /// Scores every customer on one dimension: `keys[i]` is customer `i`'s value, larger = better.
    /// Writes the score on `bins` bins and the quartile score (the same rule with 4 bins).
    pub fn score(
        &mut self,
        keys: impl Iterator<Item = u64>,
        bins: u32,
        score: &mut [u8],
        quartile: &mut [u8],
    ) {
        self.keys.clear();
        self.keys.extend(keys);
        let n = self.keys.len();
        let (Some(&min), Some(&max)) = (self.keys.iter().min(), self.keys.iter().max()) else {
            return;
        };
        if max - min < COUNTING_RANGE {
            self.score_by_counting(min, max, bins, score, quartile);
            return;
        }
        self.sort_offset(min);
        let mut first = 0;
        while first < n {
            let value = self.keys[first];
            let mut end = first + 1;
            while end < n && self.keys[end] == value {
                end += 1;
            }
            let group_score = score_at(first, n, bins);
            let group_quartile = score_at(first, n, 4);
            for &id in &self.ids[first..end] {
                score[id as usize] = group_score;
                quartile[id as usize] = group_quartile;
            }
            first = end;
        }
    }

    /// Small key ranges (days, order counts): count each value; the first rank of a value is the
    /// number of customers with a smaller one.
    fn score_by_counting(
        &mut self,
        min: u64,
        max: u64,
        bins: u32,
        score: &mut [u8],
        quartile: &mut [u8],
    ) {
        let n = self.keys.len();
        let range = (max - min) as usize + 1;
        self.counts.clear();
        self.counts.resize(range, 0);
        for &key in &self.keys {
            self.counts[(key - min) as usize] += 1;
        }
        // Per value: the score and quartile of its tied group, packed as score << 8 | quartile.
        let mut first = 0usize;
        for count in self.counts.iter_mut() {
            let here = *count as usize;
            *count = (score_at(first, n, bins) as u32) << 8 | score_at(first, n, 4) as u32;
            first += here;
        }
        for (i, &key) in self.keys.iter().enumerate() {
            let packed = self.counts[(key - min) as usize];
            score[i] = (packed >> 8) as u8;
            quartile[i] = packed as u8;
        }
    }

    /// Sorts `keys` ascending and returns the customer positions in that order.
    pub fn sort(&mut self, keys: impl Iterator<Item = u64>) -> &[u32] {
        self.keys.clear();
        self.keys.extend(keys);
        let min = self.keys.iter().copied().min().unwrap_or(0);
        self.sort_offset(min);
        &self.ids
    }

    /// Sorts `self.keys − min` (so leading digits are zero and skipped), moving positions along.
    fn sort_offset(&mut self, min: u64) {
        for key in self.keys.iter_mut() {
            *key -= min;
        }
        self.ids.clear();
        self.ids.extend(0..self.keys.len() as u32);
        radix_sort(
            &mut self.keys,
            &mut self.ids,
            &mut self.key_buffer,
            &mut self.id_buffer,
        );
    }
}

/// Sorts `keys` ascending, moving `ids` along (LSD radix sort; digits above the largest key and
/// digits that every key shares are skipped, so small keys take few passes).
fn radix_sort(
    keys: &mut Vec<u64>,
    ids: &mut Vec<u32>,
    key_buffer: &mut Vec<u64>,
    id_buffer: &mut Vec<u32>,
) {
    let n = keys.len();
    let largest = keys.iter().copied().max().unwrap_or(0);
    let digits = (u64::BITS - largest.leading_zeros()).div_ceil(DIGIT_BITS) as usize;
    let mut counts = vec![[0u32; BUCKETS]; digits.min(DIGITS)];
    for &key in keys.iter() {
        for (digit, count) in counts.iter_mut().enumerate() {
            count[((key >> (digit as u32 * DIGIT_BITS)) as usize) & (BUCKETS - 1)] += 1;
        }
    }
    key_buffer.resize(n, 0);
    id_buffer.resize(n, 0);
    for (digit, count) in counts.iter_mut().enumerate() {
        if count.iter().any(|&c| c as usize == n) {
            continue;
        }
        let mut total = 0;
        for slot in count.iter_mut() {
            let here = *slot;
            *slot = total;
            total += here;
        }
        let shift = digit as u32 * DIGIT_BITS;
        for (&key, &id) in keys.iter().zip(ids.iter()) {
            let bucket = ((key >> shift) as usize) & (BUCKETS - 1);
            let destination = count[bucket] as usize;
            count[bucket] += 1;
            key_buffer[destination] = key;
            id_buffer[destination] = id;
        }
        std::mem::swap(keys, key_buffer);
        std::mem::swap(ids, id_buffer);
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
    fn sorting_orders_large_and_negative_values() {
        let values = [3.5, -2.0, 0.0, 1e12, -1e-3, 42.25, -7e9, 0.1 + 0.2];
        let ascending = |keys: Vec<u64>| {
            let mut ranker = Ranker::default();
            let order: Vec<f64> = ranker
                .sort(keys.into_iter())
                .iter()
                .map(|&i| values[i as usize])
                .collect();
            order
        };
        let mut expected = values.to_vec();
        expected.sort_by(f64::total_cmp);
        assert_eq!(
            ascending(values.iter().map(|&v| ordered_bits(v)).collect()),
            expected
        );
        assert_eq!(
            ascending(amount_keys(&values)),
            expected,
            "1e12 falls back to float bits"
        );
        let small = [3.5, -2.0, 0.0, -1e-3, 42.25, -7e9, 0.3];
        let mut sorted_small = small.to_vec();
        sorted_small.sort_by(f64::total_cmp);
        let keys = amount_keys(&small);
        let mut by_key: Vec<(u64, f64)> = keys.into_iter().zip(small).collect();
        by_key.sort_by_key(|&(key, _)| key);
        assert_eq!(
            by_key.iter().map(|&(_, v)| v).collect::<Vec<_>>(),
            sorted_small
        );
        assert!(ordered_bits(-1.0) < ordered_bits(0.0) && ordered_bits(0.0) < ordered_bits(1.0));
    }

    #[test]
    fn counting_and_sorting_give_the_same_scores() {
        // A spread wider than the counting range forces the radix path for the same ranks.
        let narrow: Vec<u64> = (0..500u64).map(|i| (i * 7919) % 97).collect();
        let wide: Vec<u64> = narrow.iter().map(|&v| v * (COUNTING_RANGE / 10)).collect();
        for bins in [3, 5, 10] {
            assert_eq!(
                scores_of(&narrow, bins),
                scores_of(&wide, bins),
                "bins {bins}"
            );
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
