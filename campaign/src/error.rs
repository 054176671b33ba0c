//! Errors and the exit codes they map to.

use std::fmt;

/// What went wrong, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Something unexpected: the optimiser failed, a file could not be written. Exit 1.
    Failure,
    /// A bad campaign file, value or results file. Exit 3.
    Input,
    /// The command does not fit the campaign's state: an unknown id, a result already
    /// recorded, a campaign already initialised. Exit 4.
    State,
    /// The database is missing, is not a campaign database, comes from a newer version
    /// of this tool, or is damaged. Exit 5.
    Database,
    /// Another process held the database for longer than the busy timeout. Exit 6.
    Busy,
}

impl Kind {
    /// The process's exit code for this kind of error (2 is a command-line usage error,
    /// reported by the argument parser).
    pub fn exit_code(self) -> i32 {
        match self {
            Kind::Failure => 1,
            Kind::Input => 3,
            Kind::State => 4,
            Kind::Database => 5,
            Kind::Busy => 6,
        }
    }
}

/// An error with its kind and a message for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The kind.
    pub kind: Kind,
    /// The message.
    pub message: String,
}

impl Error {
    /// An error of `kind` saying `message`.
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into() }
    }

    /// A bad input.
    pub fn input(message: impl Into<String>) -> Self {
        Error::new(Kind::Input, message)
    }

    /// A conflict with the campaign's state.
    pub fn state(message: impl Into<String>) -> Self {
        Error::new(Kind::State, message)
    }

    /// A database problem.
    pub fn database(message: impl Into<String>) -> Self {
        Error::new(Kind::Database, message)
    }

    /// An unexpected failure.
    pub fn failure(message: impl Into<String>) -> Self {
        Error::new(Kind::Failure, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => {
                Error::new(
                    Kind::Busy,
                    "the campaign database is busy (another command is using it): retry",
                )
            }
            Some(ErrorCode::NotADatabase) => {
                Error::database("the file is not a campaign database (not SQLite)")
            }
            Some(ErrorCode::DatabaseCorrupt) => {
                Error::database(format!("the campaign database is damaged: {e}"))
            }
            Some(ErrorCode::ReadOnly) | Some(ErrorCode::CannotOpen) => {
                Error::database(format!("cannot write the campaign database: {e}"))
            }
            _ => Error::database(format!("database error: {e}")),
        }
    }
}

impl From<gradbo::Error> for Error {
    fn from(e: gradbo::Error) -> Self {
        Error::failure(format!("the optimiser failed: {e}"))
    }
}

/// A result with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
