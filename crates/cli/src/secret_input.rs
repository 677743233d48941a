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
        let mut text = String::new();
        stdin.lock().take(MAX_STDIN_BYTES).read_to_string(&mut text).map_err(|e| {
            Error::invalid(
                "input",
                format!("stdin could not be read as text ({e})"),
                "Pipe the value as plain text.",
            )
        })?;
        text
    };
    let secret = Secret::new(text);
    if secret.expose().trim().is_empty() {
        return Err(Error::invalid(
            "input",
            "nothing was given",
            "Paste or pipe the value, then press Enter.",
        ));
    }
    Ok(secret)
}
