//! `f64` as decimal text, exactly as `format!("{v}")` and `format!("{v:.N}")` write it.
//!
//! Why not `format!`: the standard library's float formatting (Grisu with a Dragon4
//! fallback, a bignum and their tables) is about 15 KB of the page's wasm, and one `{}` or
//! `{:.1}` of an `f64` anywhere links all of it. The shortest digits come from `zmij`
//! instead, which `serde_json` already links to write JSON numbers; fixed decimals are
//! computed exactly in integers here. The tests compare both with `format!` on millions of
//! values, so the text is the same to the byte.

/// The shortest text that reads back as `v`, the same as `format!("{v}")`: no exponent,
/// no trailing `.0` on whole numbers (`1`, `0.1`, `100000000000000000000`, `-0`, `NaN`,
/// `inf`).
pub fn shortest(v: f64) -> String {
    if !v.is_finite() {
        return non_finite(v).to_owned();
    }
    let mut buffer = zmij::Buffer::new();
    // zmij writes `-1.25`, `0.001`, `1e20` or `1.5e-7`: digits, perhaps a point, perhaps an
    // exponent. One pass over the bytes (lighter in wasm than splitting and parsing).
    let mut digits: Vec<u8> = Vec::with_capacity(24);
    let mut point = None;
    let (mut exponent, mut exponent_sign, mut in_exponent) = (0i32, 1i32, false);
    for &c in buffer.format_finite(v).as_bytes() {
        match c {
            b'0'..=b'9' if in_exponent => exponent = exponent * 10 + i32::from(c - b'0'),
            b'0'..=b'9' => digits.push(c),
            b'.' => point = Some(digits.len()),
            b'e' => in_exponent = true,
            b'-' if in_exponent => exponent_sign = -1,
            _ => {}
        }
    }
    let point = point.unwrap_or(digits.len()) as i32;
    // How many digits stand before the decimal point, once leading zeros are gone.
    let leading = digits.iter().take_while(|&&d| d == b'0').count();
    digits.drain(..leading);
    let mut int_len = point + exponent_sign * exponent - leading as i32;
    strip_zeros(&mut digits);
    // When |v| lies exactly halfway between two shortest candidates, zmij takes the even
    // one and the standard library the one further from zero.
    let frac = digits.len() as i32 - int_len;
    if let Some((mut exact, exact_frac)) = exact_decimal(v) {
        if exact_frac == frac + 1 && exact.last() == Some(&b'5') {
            exact.pop();
            increment(&mut exact);
            int_len = exact.len() as i32 - frac;
            digits = exact;
            strip_zeros(&mut digits);
        }
    }
    let mut out = String::with_capacity(digits.len() + 8);
    if v.is_sign_negative() {
        out.push('-');
    }
    if digits.is_empty() {
        out.push('0');
    } else if int_len <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', int_len.unsigned_abs() as usize));
        out.extend(digits.iter().map(|&d| char::from(d)));
    } else {
        let int_len = int_len as usize;
        for (i, &d) in digits.iter().enumerate() {
            if i == int_len {
                out.push('.');
            }
            out.push(char::from(d));
        }
        out.extend(std::iter::repeat_n(
            '0',
            int_len.saturating_sub(digits.len()),
        ));
    }
    out
}

/// `v` rounded to `decimals` places (ties to even, on the exact binary value), the same as
/// `format!("{v:.decimals$}")`: `fixed(0.25, 1)` is `0.2`, `fixed(-0.01, 1)` is `-0.0`.
/// At most 22 decimals, far more than an `f64` holds.
pub fn fixed(v: f64, decimals: usize) -> String {
    debug_assert!(decimals <= 22, "at most 22 decimals");
    if !v.is_finite() {
        return non_finite(v).to_owned();
    }
    let (mantissa, exp) = parts(v);
    // The digits of round(|v| × 10^decimals), most significant first.
    let mut digits = if exp >= 0 {
        let mut digits = whole_digits(mantissa, exp);
        digits.extend(std::iter::repeat_n(b'0', decimals));
        digits
    } else {
        // mantissa × 10^decimals < 2^53 × 10^22 < 2^127, so it fits a u128.
        let scaled = u128::from(mantissa) * 10u128.pow(decimals as u32);
        let shift = exp.unsigned_abs();
        let rounded = if shift >= 128 {
            // Less than half of 2^shift: rounds to zero.
            0
        } else {
            let q = scaled >> shift;
            let r = scaled - (q << shift);
            let half = 1u128 << (shift - 1);
            if r > half || (r == half && q & 1 == 1) {
                q + 1
            } else {
                q
            }
        };
        u128_digits(rounded)
    };
    if digits.len() <= decimals {
        let pad = decimals + 1 - digits.len();
        digits.splice(0..0, std::iter::repeat_n(b'0', pad));
    }
    let mut out = String::with_capacity(digits.len() + 2);
    if v.is_sign_negative() {
        out.push('-');
    }
    let int_len = digits.len() - decimals;
    for (i, &d) in digits.iter().enumerate() {
        if i == int_len {
            out.push('.');
        }
        out.push(char::from(d));
    }
    out
}

/// |v| = mantissa × 2^exp, exactly, for a finite `v`.
fn parts(v: f64) -> (u64, i32) {
    let bits = v.to_bits();
    let exp_field = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    if exp_field == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), exp_field - 1075)
    }
}

/// The decimal digits of mantissa × 2^exp (a whole number of up to 309 digits), most
/// significant first: the mantissa's digits doubled `exp` times.
fn whole_digits(mantissa: u64, exp: i32) -> Vec<u8> {
    let mut le: Vec<u8> = u128_digits(u128::from(mantissa));
    le.reverse();
    for _ in 0..exp {
        let mut carry = 0;
        for d in le.iter_mut() {
            let x = (*d - b'0') * 2 + carry;
            *d = b'0' + x % 10;
            carry = x / 10;
        }
        if carry > 0 {
            le.push(b'0' + carry);
        }
    }
    le.reverse();
    le
}

/// The exact decimal expansion of |v| as (digits without trailing zeros, the number of
/// them after the decimal point, negative for trailing zeros of a whole number), when it
/// is short enough for a tie between two shortest candidates (at most 31 decimals).
fn exact_decimal(v: f64) -> Option<(Vec<u8>, i32)> {
    let (mut mantissa, mut exp) = parts(v);
    if mantissa == 0 {
        return None;
    }
    while exp < 0 && mantissa & 1 == 0 {
        mantissa >>= 1;
        exp += 1;
    }
    let (mut digits, mut frac) = if exp >= 0 {
        (whole_digits(mantissa, exp), 0)
    } else if exp >= -31 {
        // mantissa / 2^s = mantissa × 5^s / 10^s, and 2^53 × 5^31 < 2^127.
        let s = exp.unsigned_abs();
        (u128_digits(u128::from(mantissa) * 5u128.pow(s)), s as i32)
    } else {
        return None;
    };
    while digits.last() == Some(&b'0') {
        digits.pop();
        frac -= 1;
    }
    Some((digits, frac))
}

fn u128_digits(mut n: u128) -> Vec<u8> {
    let mut digits = Vec::with_capacity(40);
    loop {
        digits.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits.reverse();
    digits
}

/// Adds one to a number written as ASCII digits, most significant first.
fn increment(digits: &mut Vec<u8>) {
    for d in digits.iter_mut().rev() {
        if *d == b'9' {
            *d = b'0';
        } else {
            *d += 1;
            return;
        }
    }
    digits.insert(0, b'1');
}

fn strip_zeros(digits: &mut Vec<u8>) {
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
}

fn non_finite(v: f64) -> &'static str {
    if v.is_nan() {
        "NaN"
    } else if v > 0.0 {
        "inf"
    } else {
        "-inf"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SplitMix64: a fixed stream of test values, the same on every run.
    fn stream(seed: u64) -> impl Iterator<Item = u64> {
        let mut state = seed;
        std::iter::from_fn(move || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            Some(z ^ (z >> 31))
        })
    }

    fn check(v: f64) {
        assert_eq!(
            shortest(v),
            format!("{v}"),
            "shortest of {:#x}",
            v.to_bits()
        );
        for d in 0..=8 {
            assert_eq!(
                fixed(v, d),
                format!("{v:.d$}"),
                "{d} decimals of {:#x}",
                v.to_bits()
            );
        }
    }

    #[test]
    fn special_values() {
        for v in [
            0.0,
            -0.0,
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            f64::EPSILON,
            5e-324,
            -5e-324,
            0.5,
            1.5,
            2.5,
            0.25,
            0.125,
            0.05,
            0.15,
            0.35,
            1e15,
            1e16,
            1e17,
            1e21,
            1e22,
            1e23,
            9007199254740992.0,
            4503599627370496.5,
            0.1 + 0.2,
        ] {
            check(v);
        }
        assert_eq!(shortest(1e20), "100000000000000000000");
        assert_eq!(shortest(1.5e-7), "0.00000015");
        assert_eq!(fixed(0.25, 1), "0.2");
        assert_eq!(fixed(-0.01, 1), "-0.0");
        assert_eq!(fixed(f64::NAN, 2), "NaN");
    }

    #[test]
    fn every_decimal_below_a_hundred_thousand_with_four_places() {
        // The values a page shows: tick labels, ranges, typed fields.
        for n in 0..1_000_000_000u64 / 9_973 {
            let v = (n * 9_973) as f64 / 10_000.0;
            check(v);
            check(-v);
        }
        for n in 0..100_000u64 {
            check(n as f64 / 1_000.0);
            check(n as f64 * 0.1);
        }
    }

    #[test]
    fn random_bit_patterns_and_magnitudes() {
        let mut values = stream(0x5eed);
        // Any bits at all (half of them are huge numbers, slow to write out exactly).
        for _ in 0..2_000 {
            let bits = values.next().unwrap_or(0);
            check(f64::from_bits(bits));
        }
        // Values of every size a page might meet, spread evenly in magnitude.
        for _ in 0..300_000 {
            let r = values.next().unwrap_or(0);
            let mantissa = (r >> 11) as f64 / (1u64 << 53) as f64;
            let exp = ((r & 0x7ff) % 60) as i32 - 30;
            check(mantissa * 10f64.powi(exp));
        }
    }

    #[test]
    fn halfway_between_two_shortest_candidates() {
        // m / 2^s has a short exact expansion ending in 5: where the two libraries could
        // break a tie differently.
        let mut values = stream(7);
        for s in 1..=40 {
            for _ in 0..5_000 {
                let r = values.next().unwrap_or(0);
                let m = (r >> (11 + r % 40)) | 1;
                check(m as f64 / (1u64 << s) as f64);
            }
        }
        // −840847321408031.25 exactly: zmij says …031.2, the standard library …031.3.
        let tie = f64::from_bits(0xc307_e5f8_2f39_10fa);
        assert_eq!(shortest(tie), "-840847321408031.3");
    }
}
