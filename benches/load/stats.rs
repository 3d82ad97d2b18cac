//! Latencies of one kind of request and their percentiles.

use std::time::Duration;

/// Latencies in microseconds, and how many requests failed.
#[derive(Debug, Default, Clone)]
pub struct Latencies {
    micros: Vec<u32>,
    pub errors: u64,
}

impl Latencies {
    pub fn record(&mut self, took: Duration) {
        self.micros.push(u32::try_from(took.as_micros()).unwrap_or(u32::MAX));
    }

    pub fn merge(&mut self, other: Latencies) {
        self.micros.extend(other.micros);
        self.errors += other.errors;
    }

    /// The summary; sorts the samples.
    pub fn summary(&mut self) -> Summary {
        self.micros.sort_unstable();
        let at = |p: f64| -> f64 {
            if self.micros.is_empty() {
                return f64::NAN;
            }
            let i = ((self.micros.len() as f64 * p).ceil() as usize).clamp(1, self.micros.len()) - 1;
            f64::from(self.micros[i]) / 1000.0
        };
        Summary {
            count: self.micros.len(),
            errors: self.errors,
            p50: at(0.50),
            p95: at(0.95),
            p99: at(0.99),
            max: at(1.0),
        }
    }
}

/// Percentiles in milliseconds.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub count: usize,
    pub errors: u64,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
}

impl Summary {
    /// One line: `name  n  p50 p95 p99 max  errors`.
    pub fn line(&self, name: &str, seconds: f64) -> String {
        format!(
            "  {name:<22} {:>8} ok {:>9.1}/s  p50 {:>8.2} ms  p95 {:>8.2} ms  p99 {:>8.2} ms  max {:>8.2} ms  errors {}",
            self.count,
            self.count as f64 / seconds.max(1e-9),
            self.p50,
            self.p95,
            self.p99,
            self.max,
            self.errors
        )
    }
}
