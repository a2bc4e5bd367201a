//! Chart geometry as pure functions: scales, ticks, SVG path data, decimation, the sample
//! under a pointer, and number labels. No browser types, so it is tested natively.

use std::fmt::Write;

use sim::decimal::fixed;

/// A linear map from a domain `[d0, d1]` to a range `[r0, r1]` (pixels of a viewBox).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Linear {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
}

impl Linear {
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Linear {
        Linear {
            d0: domain.0,
            d1: domain.1,
            r0: range.0,
            r1: range.1,
        }
    }

    /// Where `v` goes. An empty domain maps everything to the range's start.
    pub fn map(&self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span == 0.0 || !span.is_finite() {
            return self.r0;
        }
        self.r0 + (v - self.d0) / span * (self.r1 - self.r0)
    }

    /// The domain value at range position `r` (the inverse of [`Linear::map`]).
    pub fn invert(&self, r: f64) -> f64 {
        let span = self.r1 - self.r0;
        if span == 0.0 {
            return self.d0;
        }
        self.d0 + (r - self.r0) / span * (self.d1 - self.d0)
    }
}

/// A base-10 logarithmic map from a positive domain to a range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Log {
    inner: Linear,
}

impl Log {
    /// `domain` must be positive; values at or below zero are clamped to a tiny positive number.
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Log {
        Log {
            inner: Linear::new((safe_log10(domain.0), safe_log10(domain.1)), range),
        }
    }

    pub fn map(&self, v: f64) -> f64 {
        self.inner.map(safe_log10(v))
    }
}

fn safe_log10(v: f64) -> f64 {
    v.max(1e-9).log10()
}

/// A round step (1, 2, 2.5 or 5 times a power of ten) that cuts `span` into about `count`
/// parts.
pub fn nice_step(span: f64, count: usize) -> f64 {
    if !(span.is_finite() && span > 0.0) {
        return 1.0;
    }
    let raw = span / count.max(1) as f64;
    let power = 10f64.powi(raw.log10().floor() as i32);
    let fraction = raw / power;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 2.5 {
        2.5
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// The top of a y axis that starts at zero and must show `max`: the first multiple of a
/// nice step at or above it, and at least `floor` (so an all-zero series still has an axis).
pub fn nice_max(max: f64, floor: f64, count: usize) -> f64 {
    let max = if max.is_finite() {
        max.max(floor)
    } else {
        floor
    };
    if max <= 0.0 {
        return 1.0;
    }
    let step = nice_step(max, count);
    let top = (max / step).ceil() * step;
    // Guard against floating error leaving the top a hair below the maximum.
    if top < max {
        top + step
    } else {
        top
    }
}

/// Ticks at multiples of a nice step from `lo` to `hi` inclusive, with that step.
pub fn nice_ticks(lo: f64, hi: f64, count: usize) -> (Vec<f64>, f64) {
    let step = nice_step(hi - lo, count);
    if hi.is_nan() || lo.is_nan() || hi <= lo {
        return (vec![lo], step);
    }
    let first = (lo / step - 1e-9).ceil();
    let last = (hi / step + 1e-9).floor();
    // Rounded to the step's decimals, so a tick is 0.6 and not 0.6000000000000001.
    let scale = 10f64.powi((-step.log10().floor()).max(0.0) as i32 + 1);
    let ticks = (first as i64..=last as i64)
        .take(1_000)
        .map(|k| (k as f64 * step * scale).round() / scale)
        .collect();
    (ticks, step)
}

/// Ticks of a log axis at 1, 2 and 5 times each power of ten within `[lo, hi]`.
pub fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let mut ticks = Vec::new();
    if !(lo > 0.0 && hi >= lo && hi.is_finite()) {
        return ticks;
    }
    let mut power = 10f64.powi(lo.log10().floor() as i32);
    while power <= hi && ticks.len() < 100 {
        for m in [1.0, 2.0, 5.0] {
            let v = m * power;
            if v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9) {
                ticks.push(v);
            }
        }
        power *= 10.0;
    }
    ticks
}

/// Ticks of a log axis at powers of ten only, covering `[lo, hi]` (one below and above when
/// needed so the data sits inside).
pub fn decade_bounds(lo: f64, hi: f64) -> (f64, f64) {
    let lo = lo.max(1e-9);
    let hi = hi.max(lo);
    let bottom = 10f64.powi(lo.log10().floor() as i32);
    let mut top = 10f64.powi(hi.log10().ceil() as i32);
    if top <= bottom {
        top = bottom * 10.0;
    }
    (bottom, top)
}

/// `x` kept within `[lo, hi]`, as `f64::clamp` does for `lo <= hi`. `f64::clamp` checks
/// its bounds and would print them with `{:?}` on failure, which links the standard
/// library's float formatting (about 15 KB of wasm) into the page; see `sim::decimal`.
pub fn clamp(x: f64, lo: f64, hi: f64) -> f64 {
    if x < lo {
        lo
    } else if x > hi {
        hi
    } else {
        x
    }
}

/// Writes `v` with one decimal (a tenth of a viewBox unit: finer than any screen shows)
/// through integer formatting, which is several times faster than float formatting; paths
/// are rebuilt whenever a sample arrives, up to every frame.
fn push_coord(d: &mut String, v: f64) {
    let tenths = (v * 10.0).round();
    // Coordinates stay within a few thousand units; anything else is not drawable anyway.
    let tenths = clamp(tenths, -1e12, 1e12) as i64;
    if tenths < 0 {
        d.push('-');
    }
    let a = tenths.unsigned_abs();
    let _ = write!(d, "{}.{}", a / 10, a % 10);
}

/// SVG path data through `points`: `M x y L x y …`. A `None` breaks the line, so a gap
/// in the data is drawn as a gap. Empty input gives an empty string.
pub fn path_d(points: impl IntoIterator<Item = Option<(f64, f64)>>) -> String {
    let mut d = String::new();
    let mut pen_down = false;
    for point in points {
        match point {
            Some((x, y)) if x.is_finite() && y.is_finite() => {
                if !d.is_empty() {
                    d.push(' ');
                }
                d.push(if pen_down { 'L' } else { 'M' });
                push_coord(&mut d, x);
                d.push(' ');
                push_coord(&mut d, y);
                pen_down = true;
            }
            _ => pen_down = false,
        }
    }
    d
}

/// How many points a path holds (its `M` and `L` commands).
pub fn path_points(d: &str) -> usize {
    d.chars().filter(|c| *c == 'M' || *c == 'L').count()
}

/// Indices of `values` to draw so that at most about `max_points` are kept: all of them
/// when they fit; otherwise, per bucket of consecutive values, the minimum and the maximum
/// (in order), so peaks survive. Always keeps the first and last value.
pub fn decimate_min_max(values: &[f64], max_points: usize) -> Vec<usize> {
    let n = values.len();
    let max_points = max_points.max(4);
    if n <= max_points {
        return (0..n).collect();
    }
    let buckets = (max_points - 2) / 2;
    let mut keep = Vec::with_capacity(max_points);
    keep.push(0);
    for b in 0..buckets {
        let start = 1 + b * (n - 2) / buckets;
        let end = 1 + (b + 1) * (n - 2) / buckets;
        if start >= end {
            continue;
        }
        let (mut lo, mut hi) = (start, start);
        for i in start..end {
            if values[i] < values[lo] {
                lo = i;
            }
            if values[i] > values[hi] {
                hi = i;
            }
        }
        let (a, b) = if lo <= hi { (lo, hi) } else { (hi, lo) };
        keep.push(a);
        if b != a {
            keep.push(b);
        }
    }
    keep.push(n - 1);
    keep
}

/// The index of the value in ascending `xs` nearest to `x` (ties go to the earlier one).
pub fn nearest_index(xs: &[f64], x: f64) -> Option<usize> {
    if xs.is_empty() || x.is_nan() {
        return None;
    }
    let after = xs.partition_point(|&v| v < x);
    if after == 0 {
        return Some(0);
    }
    if after == xs.len() {
        return Some(xs.len() - 1);
    }
    let before = after - 1;
    if x - xs[before] <= xs[after] - x {
        Some(before)
    } else {
        Some(after)
    }
}

/// A tick label for `v` on an axis whose ticks are `step` apart: enough decimals to tell
/// ticks apart, thousands as "k" and millions as "M".
pub fn tick_label(v: f64, step: f64) -> String {
    let a = v.abs();
    if a >= 1e6 && step >= 1e5 {
        return trim(fixed(v / 1e6, 1)) + "M";
    }
    if a >= 1e3 && step >= 100.0 {
        return trim(fixed(v / 1e3, 1)) + "k";
    }
    let decimals = if step >= 1.0 || step <= 0.0 {
        0
    } else {
        ((-step.log10()).ceil() as usize).min(6)
    };
    trim(fixed(v, decimals))
}

/// A value for reading out: three significant figures at most, thousands grouped as "k".
pub fn value_label(v: f64) -> String {
    if !v.is_finite() {
        return "–".to_owned();
    }
    let a = v.abs();
    let text = if a >= 1e6 {
        trim(fixed(v / 1e6, 2)) + "M"
    } else if a >= 10_000.0 {
        trim(fixed(v / 1e3, 1)) + "k"
    } else if a >= 100.0 || a == a.trunc() {
        fixed(v, 0)
    } else if a >= 10.0 {
        trim(fixed(v, 1))
    } else {
        trim(fixed(v, 2))
    };
    if text == "-0" {
        "0".to_owned()
    } else {
        text
    }
}

/// Drops trailing zeros after a decimal point ("2.50" → "2.5", "3.0" → "3").
fn trim(text: String) -> String {
    if !text.contains('.') {
        return text;
    }
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Moves label positions `ys` (in any order) apart so that no two are closer than `gap`,
/// keeping them inside `[lo, hi]` and in their original order top to bottom; returns the
/// new positions in the input's order.
pub fn spread_labels(ys: &[f64], gap: f64, lo: f64, hi: f64) -> Vec<f64> {
    // An insertion sort: a handful of labels, and no sort routine added to the bundle.
    let mut order: Vec<usize> = Vec::with_capacity(ys.len());
    for i in 0..ys.len() {
        let at = order.partition_point(|&j| ys[j] <= ys[i]);
        order.insert(at, i);
    }
    let mut placed: Vec<f64> = order.iter().map(|&i| clamp(ys[i], lo, hi)).collect();
    // Push down where labels crowd, then pull back up from the bottom edge.
    for k in 1..placed.len() {
        if placed[k] < placed[k - 1] + gap {
            placed[k] = placed[k - 1] + gap;
        }
    }
    if let Some(last) = placed.last_mut() {
        if *last > hi {
            *last = hi;
        }
    }
    for k in (0..placed.len().saturating_sub(1)).rev() {
        if placed[k] > placed[k + 1] - gap {
            placed[k] = placed[k + 1] - gap;
        }
    }
    let mut out = vec![0.0; ys.len()];
    for (k, &i) in order.iter().enumerate() {
        out[i] = placed[k];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_maps_and_inverts() {
        let s = Linear::new((0.0, 10.0), (40.0, 340.0));
        assert_eq!(s.map(0.0), 40.0);
        assert_eq!(s.map(10.0), 340.0);
        assert_eq!(s.map(5.0), 190.0);
        assert_eq!(s.invert(190.0), 5.0);
        // A y axis runs upwards: larger values map to smaller y.
        let y = Linear::new((0.0, 100.0), (150.0, 10.0));
        assert_eq!(y.map(100.0), 10.0);
        assert_eq!(y.map(50.0), 80.0);
        // An empty domain does not divide by zero.
        assert_eq!(Linear::new((3.0, 3.0), (0.0, 1.0)).map(3.0), 0.0);
    }

    #[test]
    fn log_scale_puts_decades_equally_apart() {
        let s = Log::new((1.0, 1000.0), (0.0, 300.0));
        assert!((s.map(1.0) - 0.0).abs() < 1e-9);
        assert!((s.map(10.0) - 100.0).abs() < 1e-9);
        assert!((s.map(100.0) - 200.0).abs() < 1e-9);
        assert!((s.map(1000.0) - 300.0).abs() < 1e-9);
        assert!(s.map(0.0).is_finite());
    }

    #[test]
    fn nice_steps_and_maxima() {
        assert_eq!(nice_step(10.0, 5), 2.0);
        assert_eq!(nice_step(100.0, 4), 25.0);
        assert_eq!(nice_step(7.0, 4), 2.0);
        assert_eq!(nice_step(0.3, 3), 0.1);
        assert_eq!(nice_step(0.0, 4), 1.0);
        assert_eq!(nice_max(37.0, 1.0, 4), 40.0);
        assert_eq!(nice_max(40.0, 1.0, 4), 40.0);
        assert_eq!(nice_max(0.0, 1.0, 4), 1.0);
        assert_eq!(nice_max(0.0, 4.0, 4), 4.0);
        assert_eq!(nice_max(1234.0, 1.0, 4), 1500.0);
        assert_eq!(nice_max(f64::NAN, 2.0, 4), 2.0);
    }

    #[test]
    fn ticks_cover_the_domain_at_round_values() {
        assert_eq!(
            nice_ticks(0.0, 20.0, 4),
            (vec![0.0, 5.0, 10.0, 15.0, 20.0], 5.0)
        );
        assert_eq!(
            nice_ticks(0.0, 1.0, 5).0,
            vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
        );
        assert_eq!(nice_ticks(0.0, 0.3, 3).0, vec![0.0, 0.1, 0.2, 0.3]);
        assert_eq!(nice_ticks(5.0, 5.0, 4).0, vec![5.0]);
        assert_eq!(
            log_ticks(1.0, 500.0),
            vec![1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0]
        );
        assert_eq!(log_ticks(3.0, 60.0), vec![5.0, 10.0, 20.0, 50.0]);
        assert!(log_ticks(0.0, 10.0).is_empty());
        assert_eq!(decade_bounds(180.0, 9_500.0), (100.0, 10_000.0));
        assert_eq!(decade_bounds(100.0, 100.0), (100.0, 1_000.0));
    }

    #[test]
    fn paths_have_one_command_per_point_and_break_at_gaps() {
        assert_eq!(path_d(Vec::new()), "");
        let d = path_d([Some((0.0, 1.0)), Some((2.25, 3.0)), Some((4.0, 5.04))]);
        assert_eq!(d, "M0.0 1.0 L2.3 3.0 L4.0 5.0");
        assert_eq!(path_points(&d), 3);
        let gap = path_d([Some((0.0, 0.0)), None, Some((2.0, 2.0)), Some((3.0, 3.0))]);
        assert_eq!(gap, "M0.0 0.0 M2.0 2.0 L3.0 3.0");
        let nan = path_d([Some((0.0, f64::NAN)), Some((1.0, 1.0))]);
        assert_eq!(nan, "M1.0 1.0");
        // Halves round away from zero, and signs are kept.
        let signs = path_d([Some((-0.04, -2.35)), Some((12.96, 0.05))]);
        assert_eq!(signs, "M0.0 -2.4 L13.0 0.1");
    }

    #[test]
    fn decimation_keeps_everything_that_fits_and_the_peaks_of_the_rest() {
        let values: Vec<f64> = (0..10).map(f64::from).collect();
        assert_eq!(decimate_min_max(&values, 100), (0..10).collect::<Vec<_>>());
        let mut many = vec![1.0; 10_000];
        many[4_321] = 99.0;
        many[7_000] = -5.0;
        let keep = decimate_min_max(&many, 200);
        assert!(keep.len() <= 200, "{}", keep.len());
        assert!(keep.contains(&4_321) && keep.contains(&7_000));
        assert_eq!(keep.first(), Some(&0));
        assert_eq!(keep.last(), Some(&9_999));
        assert!(keep.windows(2).all(|w| w[0] < w[1]), "indices ascend");
    }

    #[test]
    fn nearest_index_finds_the_closest_sample() {
        let xs = [0.1, 0.2, 0.3, 0.4];
        assert_eq!(nearest_index(&xs, 0.0), Some(0));
        assert_eq!(nearest_index(&xs, 0.26), Some(2));
        assert_eq!(nearest_index(&xs, 0.24), Some(1));
        assert_eq!(nearest_index(&xs, 9.0), Some(3));
        assert_eq!(nearest_index(&[], 1.0), None);
        assert_eq!(nearest_index(&xs, f64::NAN), None);
    }

    #[test]
    fn labels_read_as_people_write_numbers() {
        assert_eq!(tick_label(0.0, 5.0), "0");
        assert_eq!(tick_label(15.0, 5.0), "15");
        assert_eq!(tick_label(0.5, 0.5), "0.5");
        assert_eq!(tick_label(0.25, 0.05), "0.25");
        assert_eq!(tick_label(2_500.0, 500.0), "2.5k");
        assert_eq!(tick_label(3_000.0, 1_000.0), "3k");
        assert_eq!(tick_label(2_000_000.0, 500_000.0), "2M");
        assert_eq!(value_label(0.0), "0");
        assert_eq!(value_label(40.0), "40");
        assert_eq!(value_label(1.23456), "1.23");
        assert_eq!(value_label(12.345), "12.3");
        assert_eq!(value_label(199.6), "200");
        assert_eq!(value_label(12_345.0), "12.3k");
        assert_eq!(value_label(f64::NAN), "–");
    }

    #[test]
    fn labels_spread_apart_inside_bounds_and_keep_their_order() {
        let out = spread_labels(&[50.0, 52.0, 51.0, 200.0], 10.0, 0.0, 120.0);
        assert_eq!(out[3], 120.0);
        let mut sorted = out.clone();
        sorted.sort_by(f64::total_cmp);
        for w in sorted.windows(2) {
            assert!(w[1] - w[0] >= 10.0 - 1e-9, "{out:?}");
        }
        // Order by original position is kept: 50 < 51 < 52.
        assert!(out[0] < out[2] && out[2] < out[1], "{out:?}");
        // Crowding at the bottom edge pushes labels up, not out.
        let bottom = spread_labels(&[100.0, 100.0, 100.0], 10.0, 0.0, 100.0);
        assert_eq!(bottom, vec![80.0, 90.0, 100.0]);
    }
}
