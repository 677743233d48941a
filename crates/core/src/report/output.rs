//! Where a report's rows go: a file that is complete or absent (written under a temporary
//! name in the same folder, renamed into place only once the last row is in; removed when the
//! run fails or is stopped), or a stream such as stdout.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::encode::{Encoder, Encoding};
use super::rows::Row;
use super::ReportKind;
use crate::error::FileKind;
use crate::fsutil;
use crate::Result;

pub struct ReportOutput {
    encoder: Encoder,
    target: Target,
}

enum Target {
    File(PendingFile),
    Stream { out: Box<dyn Write + Send>, name: String },
}

impl ReportOutput {
    /// A new file at `path`, replacing any file there only when the report is complete.
    pub fn file(path: &Path, encoding: Encoding, kind: ReportKind) -> Result<ReportOutput> {
        let pending = PendingFile::create(path)?;
        ReportOutput::start(Target::File(pending), encoding, kind)
    }

    /// `out` (stdout), which is written as rows come: a stopped run leaves what was written.
    pub fn stream(
        out: Box<dyn Write + Send>,
        name: &str,
        encoding: Encoding,
        kind: ReportKind,
    ) -> Result<ReportOutput> {
        ReportOutput::start(Target::Stream { out, name: name.into() }, encoding, kind)
    }

    fn start(target: Target, encoding: Encoding, kind: ReportKind) -> Result<ReportOutput> {
        let mut output = ReportOutput { encoder: Encoder::new(encoding, kind.columns()), target };
        let header = output.encoder.header();
        output.write(&header)?;
        Ok(output)
    }

    pub fn rows(&mut self, rows: impl Iterator<Item = Row>) -> Result<u64> {
        let mut count = 0;
        for row in rows {
            let bytes = self.encoder.row(&row);
            self.write(&bytes)?;
            count += 1;
        }
        Ok(count)
    }

    /// Ends the report: the file is moved into place. Answers the rows written.
    pub fn finish(mut self) -> Result<u64> {
        let end = self.encoder.end();
        self.write(&end)?;
        let rows = self.encoder.rows_written();
        match self.target {
            Target::File(pending) => pending.commit()?,
            Target::Stream { mut out, name } => {
                out.flush().map_err(|e| fsutil::io_error(FileKind::Report, Path::new(&name), e))?
            }
        }
        Ok(rows)
    }

    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        match &mut self.target {
            Target::File(pending) => pending.write(bytes),
            Target::Stream { out, name } => out
                .write_all(bytes)
                .map_err(|e| fsutil::io_error(FileKind::Report, Path::new(name), e)),
        }
    }
}

/// A file written under a temporary name beside its target; dropped before `commit`, it is
/// removed.
struct PendingFile {
    temp: PathBuf,
    target: PathBuf,
    file: Option<BufWriter<File>>,
}

impl PendingFile {
    fn create(target: &Path) -> Result<PendingFile> {
        let error = |path: &Path, e| fsutil::io_error(FileKind::Report, path, e);
        // Found now, not after every account was asked for.
        if target.is_dir()
            || target.as_os_str().to_string_lossy().ends_with(std::path::MAIN_SEPARATOR)
        {
            let kind = std::io::ErrorKind::InvalidInput;
            return Err(error(
                target,
                std::io::Error::new(kind, "it is a folder; give a file name in it"),
            ));
        }
        let name = target.file_name().ok_or_else(|| {
            error(target, std::io::Error::new(std::io::ErrorKind::InvalidInput, "it names no file"))
        })?;
        // Hidden, and unique to this run, so two runs never share one.
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".{}.partial", uuid::Uuid::new_v4().simple()));
        let temp = target.with_file_name(temp_name);
        // Posture data tells an attacker where to look: readable by the owner only.
        let file = fsutil::private_file()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(|e| error(target, e))?;
        Ok(PendingFile { temp, target: target.to_owned(), file: Some(BufWriter::new(file)) })
    }

    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        let file = self.file.as_mut().expect("written only before commit");
        file.write_all(bytes).map_err(|e| fsutil::io_error(FileKind::Report, &self.target, e))
    }

    fn commit(mut self) -> Result<()> {
        let file = self.file.take().expect("committed once");
        let done = (|| {
            let file = file.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
            drop(file);
            fs::rename(&self.temp, &self.target)
        })();
        done.map_err(|e| fsutil::io_error(FileKind::Report, &self.target, e))
    }
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        // Committed, the temporary name is gone already; else this is a stopped or failed
        // run, whose rows must not stay behind. The name is this run's own.
        self.file = None;
        let _ = fs::remove_file(&self.temp);
    }
}
