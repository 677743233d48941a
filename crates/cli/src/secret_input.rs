//! Reading a secret: from stdin when it is piped, else from a prompt that does not echo.
//! Never from argv, where other users and shell history could read it.

use cloudneeti_core::{Error, Result, Secret};
use std::io::{IsTerminal, Read};

/// The most a secret read from stdin may be; more is not a pasted key but a mistake.
const MAX_STDIN_BYTES: u64 = 8 * 1024;

pub fn read(prompt: &str) -> Result<Secret> {
    let stdin = std::io::stdin();
    let text = if stdin.is_terminal() {
        rpassword::prompt_password(format!("{prompt}: ")).map_err(|e| {
            Error::invalid(
                "input",
                format!("the prompt could not be read ({e})"),
                "Pipe the value on stdin instead.",
            )
        })?
    } else {
        // One byte past the limit tells "too long" from "exactly the limit", so nothing is
        // cut off in silence.
        let mut text = String::new();
        let read = stdin.lock().take(MAX_STDIN_BYTES + 1).read_to_string(&mut text);
        let text = Secret::new(text);
        read.map_err(|e| {
            Error::invalid(
                "input",
                format!("stdin could not be read as text ({e})"),
                "Pipe the value as plain text.",
            )
        })?;
        if text.expose().len() as u64 > MAX_STDIN_BYTES {
            return Err(Error::invalid(
                "input",
                format!(
                    "stdin holds more than {} KiB, far more than a key or secret",
                    MAX_STDIN_BYTES / 1024
                ),
                "Pipe only the value (for example with printf '%s' \"$VALUE\").",
            ));
        }
        return checked(text);
    };
    checked(Secret::new(text))
}

fn checked(secret: Secret) -> Result<Secret> {
    if secret.expose().trim().is_empty() {
        return Err(Error::invalid(
            "input",
            "nothing was given",
            "Paste or pipe the value, then press Enter.",
        ));
    }
    Ok(secret)
}
