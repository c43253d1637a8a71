//! An in-place radix sort for large arrays of small items (customer positions, packed keys):
//! no buffer as large as the input, which is what limits the files a browser can analyse, and
//! one small generic function where each `slice::sort` instantiation adds kilobytes to the
//! `.wasm`.

/// Bits per radix digit.
const DIGIT_BITS: u32 = 8;
const BUCKETS: usize = 1 << DIGIT_BITS;
/// Buckets this small are finished by insertion sort.
const SMALL: usize = 64;

/// Sorts `items` by `key`, whose values fit in `key_bits` bits, in place: MSD radix sort,
/// "American flag" style — each digit's buckets are filled by swapping items into place, then
/// sorted on the next digit. Not stable.
pub fn radix_sort<T: Copy>(items: &mut [T], key: &impl Fn(T) -> u64, key_bits: u32) {
    sort_digit(items, key, key_bits.saturating_sub(DIGIT_BITS));
}

/// [`radix_sort`] on the digit at `shift` and those below it.
fn sort_digit<T: Copy>(items: &mut [T], key: &impl Fn(T) -> u64, shift: u32) {
    if items.len() <= SMALL {
        for i in 1..items.len() {
            let mut j = i;
            while j > 0 && key(items[j - 1]) > key(items[j]) {
                items.swap(j - 1, j);
                j -= 1;
            }
        }
        return;
    }
    let digit = |item: T| (key(item) >> shift) as usize & (BUCKETS - 1);
    let lower = shift.saturating_sub(DIGIT_BITS);
    let mut ends = [0u32; BUCKETS];
    for &item in items.iter() {
        ends[digit(item)] += 1;
    }
    if ends.contains(&(items.len() as u32)) {
        // Every key has this digit: on to the next.
        if shift > 0 {
            sort_digit(items, key, lower);
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
    // `next[b]`: the first place of bucket b not yet holding one of its items.
    let mut next = starts;
    for bucket in 0..BUCKETS {
        while next[bucket] < ends[bucket] {
            let item = items[next[bucket] as usize];
            let home = digit(item);
            if home == bucket {
                next[bucket] += 1;
            } else {
                items.swap(next[bucket] as usize, next[home] as usize);
                next[home] += 1;
            }
        }
    }
    if shift > 0 {
        for (&start, &end) in starts.iter().zip(ends.iter()) {
            if end - start > 1 {
                sort_digit(&mut items[start as usize..end as usize], key, lower);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_sort() {
        let mut random = crate::fixtures::Lcg::new(5);
        for (n, bits) in [
            (0, 64),
            (3, 64),
            (65, 8),
            (5_000, 64),
            (50_000, 40),
            (20_000, 3),
        ] {
            let mut items: Vec<u64> = (0..n).map(|_| random.next() >> (64 - bits)).collect();
            let mut expected = items.clone();
            expected.sort_unstable();
            radix_sort(&mut items, &|k| k, bits);
            assert_eq!(items, expected, "n {n} bits {bits}");
        }
    }
}
