//! The semantic hash per call, as the reference MPL core does it: build the canonical
//! `serde_json::Value` (object members with a null value dropped, keys sorted, numbers
//! rounded to 6 decimals with halves away from zero, strings trimmed of Unicode
//! White_Space), serialize it with serde_json, BLAKE3 the bytes, write `b3:` + hex.
//!
//! Usage:
//!   mpl-native-hash vectors            one JSON text a line on stdin; prints
//!                                      `<canonical>\t<hash>` a line on stdout
//!   mpl-native-hash time <ms> <files>  for each payload file, hashes it in a loop for
//!                                      about <ms> ms of this process's CPU time; prints `<file>\t<canonical bytes>\t<ns per call>\t<hash>\t<checksum>\t<clock: cpu or wall>`
//!   mpl-native-hash blake3 <ms> <files>  the same, timing only the last step: BLAKE3 of the
//!                                      canonical bytes (made once) and its hex; prints the same columns,
//!                                      the hash being `b3:` + that hex
//!
//! Written for Rust 1.63 too (Debian's rustc), so no let-else and no `std::hint::black_box`.
use serde_json::{Map, Number, Value};
use std::io::{BufRead, Write};
use std::time::{Duration, Instant};

/// 2^63: integral numbers below it in magnitude are written as integers.
const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;

fn canonical_value(value: &Value) -> Value {
    match value {
        Value::Object(members) => {
            let mut kept: Vec<(String, Value)> = members
                .iter()
                .filter(|(_, member)| !member.is_null())
                .map(|(key, member)| (key.clone(), canonical_value(member)))
                .collect();
            kept.sort_unstable_by(|a, b| a.0.cmp(&b.0)); // byte order = code-point order
            Value::Object(kept.into_iter().collect::<Map<String, Value>>())
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical_value).collect()),
        Value::Number(n) => canonical_number(n),
        Value::String(s) => Value::String(s.trim().to_owned()), // trim() is Unicode White_Space
        other => other.clone(),
    }
}

fn canonical_number(n: &Number) -> Value {
    let x = match n.as_f64() {
        Some(x) => x,
        None => return Value::Number(n.clone()),
    };
    if x.fract() == 0.0 && x.abs() < TWO_POW_63 {
        return Value::Number(Number::from(x as i64));
    }
    let rounded = (x * 1e6).round() / 1e6; // f64::round: halves away from zero
    let kept = if (x * 1e6).is_finite() { rounded } else { x };
    Value::Number(Number::from_f64(kept).unwrap_or_else(|| n.clone()))
}

fn semantic_hash(value: &Value) -> (String, String) {
    let canonical = serde_json::to_string(&canonical_value(value)).expect("a Value serializes");
    let hash = format!("b3:{}", blake3::hash(canonical.as_bytes()).to_hex());
    (canonical, hash)
}

fn vectors() {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in stdin.lock().lines() {
        let line = line.expect("stdin is readable");
        let value: Value = serde_json::from_str(&line).expect("each line is a JSON text");
        let (canonical, hash) = semantic_hash(&value);
        writeln!(out, "{canonical}\t{hash}").expect("stdout is writable");
    }
}

/// Nanoseconds of CPU time this process has used, from `clock_gettime(CLOCK_PROCESS_CPUTIME_ID)`
/// (64-bit Linux), or `None` elsewhere. On a shared machine, time waiting for a CPU is not this
/// program's cost. The counter is exact to the nanosecond, where /proc's schedstat moves a
/// scheduler tick (4 ms here) at a time: ±3% on a 150 ms cell. The JS side reads its process's
/// CPU time too (`process.cpuUsage`, exact to the microsecond).
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn process_cpu_ns() -> Option<u64> {
    #[repr(C)]
    struct Timespec {
        tv_sec: std::os::raw::c_long,
        tv_nsec: std::os::raw::c_long,
    }
    extern "C" {
        fn clock_gettime(clock: std::os::raw::c_int, ts: *mut Timespec) -> std::os::raw::c_int;
    }
    const CLOCK_PROCESS_CPUTIME_ID: std::os::raw::c_int = 2;
    let mut ts = Timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec (two longs on 64-bit Linux) into `ts`.
    if unsafe { clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &mut ts) } != 0 {
        return None;
    }
    Some(ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64)
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
fn process_cpu_ns() -> Option<u64> {
    None
}

/// Time since `start`: this process's CPU time if the counter exists, else wall-clock time.
struct Clock {
    wall: Instant,
    cpu: Option<u64>,
}

impl Clock {
    fn start() -> Clock {
        Clock { cpu: process_cpu_ns(), wall: Instant::now() }
    }
    fn elapsed(&self) -> Duration {
        match (self.cpu, process_cpu_ns()) {
            (Some(start), Some(now)) => Duration::from_nanos(now - start),
            _ => self.wall.elapsed(),
        }
    }
    /// What `elapsed` measures, as the bench prints it.
    fn name(&self) -> &'static str {
        if self.cpu.is_some() { "cpu" } else { "wall" }
    }
}

/// What `time` times per call: the whole semantic hash, or (`blake3` mode) its last step alone.
#[derive(Clone, Copy)]
enum Step {
    Whole,
    Blake3,
}

fn time(ms: u64, files: &[String], step: Step) {
    let budget = Duration::from_millis(ms);
    for file in files {
        let text = std::fs::read_to_string(file).expect("the payload file is readable");
        let value: Value = serde_json::from_str(&text).expect("the payload is JSON");
        let (canonical, hash) = semantic_hash(&value);
        let bytes = canonical.as_bytes();
        let call = |seen: u8| -> u8 {
            match step {
                Step::Whole => seen ^ semantic_hash(&value).1.as_bytes()[3],
                Step::Blake3 => seen ^ blake3::hash(bytes).to_hex().as_bytes()[3],
            }
        };
        // Every result is folded into `seen`, which is printed: no call can be optimized away.
        let mut seen: u8 = 0;
        for _ in 0..20 {
            seen = call(seen);
        }
        let mut calls: u64 = 0;
        let mut batch: u64 = 1;
        let clock = Clock::start();
        let mut elapsed = Duration::ZERO;
        while elapsed < budget {
            for _ in 0..batch {
                seen = call(seen);
            }
            calls += batch;
            batch = (batch * 2).min(4096);
            elapsed = clock.elapsed();
        }
        let ns = elapsed.as_nanos() as f64 / calls as f64;
        println!("{file}\t{}\t{ns:.1}\t{hash}\t{seen}\t{}", canonical.len(), clock.name());
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("vectors") => vectors(),
        Some(mode @ ("time" | "blake3")) if args.len() >= 4 => {
            let step = if mode == "time" { Step::Whole } else { Step::Blake3 };
            time(args[2].parse().expect("<ms> is a number"), &args[3..], step)
        }
        _ => {
            eprintln!("usage: mpl-native-hash vectors | time <ms> <payload.json>... | blake3 <ms> <payload.json>...");
            std::process::exit(2);
        }
    }
}
