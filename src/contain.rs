//! Third-party code that panics on strange input must fail one item, never the build. Typst's
//! PDF writer did, on a page of one very long word: it took the process down with 222 other
//! pages. Work run through [`panic_free`] turns a panic into an error message, and the panic
//! is not printed as a crash, since the build reports it as that item's error.

use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Whether this thread is inside [`panic_free`], so that its panics are caught and told.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `work`; a panic inside it becomes `Err` with the panic's message.
pub fn panic_free<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    static QUIET_WHEN_CAUGHT: Once = Once::new();
    QUIET_WHEN_CAUGHT.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !CATCHING.with(Cell::get) {
                default(info);
            }
        }));
    });
    let was = CATCHING.with(|c| c.replace(true));
    // Nothing `work` touched is used again after a panic but its own result, which is dropped.
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    CATCHING.with(|c| c.set(was));
    result.map_err(|payload| message(payload.as_ref()))
}

fn message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message_and_work_that_ends_is_kept() {
        assert_eq!(panic_free(|| 2 + 2), Ok(4));
        let caught = panic_free(|| -> u8 { panic!("byte index {} is not a char boundary", 3) });
        assert_eq!(
            caught,
            Err("byte index 3 is not a char boundary".to_owned())
        );
        assert_eq!(panic_free(|| "still fine"), Ok("still fine"));
    }
}
