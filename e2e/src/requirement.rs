//! Tests that need programs from outside Cargo: skipped where those are missing, except in CI.

use std::io::Write;
use std::path::PathBuf;

/// Whether the tests run in CI: the `CI` environment variable is set to `true` (or `1`), as CI
/// services and `.ci/run` set it.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| value.eq_ignore_ascii_case("true") || value == "1")
}

/// A test's requirement is missing. In CI, that is a failure: panics with `reason`. Elsewhere
/// the test is skipped: prints `reason` where the test runner does not hide it, and returns.
///
/// # Panics
///
/// When [`in_ci`].
pub fn skip_or_fail(test: &str, reason: &str) {
    assert!(
        !in_ci(),
        "{test}: {reason} (CI=true, so this is a failure, not a skip)"
    );
    // Straight to stderr: the test runner captures `eprintln!` of passing tests.
    let _ = writeln!(std::io::stderr(), "skipped {test}: {reason}");
}

/// The first of `names` found as a file in `PATH`, unless the environment variable
/// `override_var` is set: then the file it names, if there is one.
pub fn find_program(override_var: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(override_var) {
        let path = PathBuf::from(path);
        return path.is_file().then_some(path);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}
