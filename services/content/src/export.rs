//! The auditor's export: the compliance history of an organization for a time range
//! (approvals, rejections, legal reviews and publications under delegated authority), as
//! CSV or JSON Lines. Rows stream from the database through a bounded channel, so memory
//! stays constant whatever the range; a failure mid-way aborts the stream (a client sees
//! a failed download, never a silently short file).

use std::str::FromStr;

use chorus_kernel::{on_read, Db};
use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use serde::Serialize;
use tokio::sync::mpsc;
use uuid::Uuid;

use chorus_api::error::{ApiError, ApiResult};

/// Output format of the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    JsonLines,
}

impl FromStr for ExportFormat {
    type Err = ApiError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value {
            "csv" => Ok(ExportFormat::Csv),
            "jsonl" | "ndjson" => Ok(ExportFormat::JsonLines),
            _ => Err(ApiError::bad_input("format", "must be csv or jsonl")),
        }
    }
}

impl ExportFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::JsonLines => "application/x-ndjson",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::JsonLines => "jsonl",
        }
    }
}

/// The time range `[from, to)` of an export, validated.
#[derive(Debug, Clone, Copy)]
pub struct ExportRange {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl ExportRange {
    /// Parses RFC 3339 bounds; `from` must be before `to`.
    pub fn parse(from: Option<&str>, to: Option<&str>) -> ApiResult<Self> {
        let instant = |field: &'static str, value: Option<&str>| -> ApiResult<DateTime<Utc>> {
            let value = value.ok_or_else(|| ApiError::bad_input(field, "is required"))?;
            DateTime::parse_from_rfc3339(value)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| ApiError::bad_input(field, "must be an RFC 3339 date-time"))
        };
        let range = ExportRange {
            from: instant("from", from)?,
            to: instant("to", to)?,
        };
        if range.from >= range.to {
            return Err(ApiError::bad_input("to", "must be after from"));
        }
        Ok(range)
    }
}

/// One line of the compliance history. `kind` is `approval`, `rejection`,
/// `legal_review` or `delegated_publication`; columns a kind does not have are empty.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct ComplianceRecord {
    pub kind: String,
    pub occurred_at: DateTime<Utc>,
    pub post_id: Option<Uuid>,
    pub subject_kind: Option<String>,
    pub subject_reference: Option<String>,
    pub actor_id: Option<Uuid>,
    pub assignment_id: Option<Uuid>,
    pub function: Option<String>,
    pub responsibility: Option<String>,
    pub policy_id: Option<Uuid>,
    pub policy_version: Option<i64>,
    pub step: Option<String>,
    pub review_kind: Option<String>,
    pub outcome: Option<String>,
    pub voided_at: Option<DateTime<Utc>>,
    pub void_reason: Option<String>,
    pub comment: Option<String>,
    /// The case a cases record is about.
    pub case_id: Option<Uuid>,
}

impl ComplianceRecord {
    /// The record with every text cell neutralised for spreadsheets
    /// ([`neutralise_cell`]); JSON Lines keep the text as recorded.
    fn for_spreadsheets(&self) -> ComplianceRecord {
        let cell =
            |value: &Option<String>| value.as_deref().map(|v| neutralise_cell(v).into_owned());
        ComplianceRecord {
            kind: neutralise_cell(&self.kind).into_owned(),
            subject_kind: cell(&self.subject_kind),
            subject_reference: cell(&self.subject_reference),
            function: cell(&self.function),
            responsibility: cell(&self.responsibility),
            step: cell(&self.step),
            review_kind: cell(&self.review_kind),
            outcome: cell(&self.outcome),
            void_reason: cell(&self.void_reason),
            comment: cell(&self.comment),
            ..self.clone()
        }
    }
}

/// OWASP's rule against CSV injection: a cell that begins with `=`, `+`, `-`, `@`, a
/// tab or a carriage return would be read by a spreadsheet as a formula (which can run
/// commands or send data away), so it gets a leading `'`, which makes it plain text.
pub fn neutralise_cell(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// The content context's branches of the history; every branch is a range scan of its
/// table's (organization_id, time) index.
pub const CONTENT_HISTORY: &[&str] = &[
    "SELECT 'approval' AS kind, signed_at AS occurred_at, post_id, CAST(NULL AS TEXT) AS subject_kind, \
           CAST(NULL AS TEXT) AS subject_reference, signer_id AS actor_id, assignment_id, function, responsibility, \
           policy_id, policy_version, step, CAST(NULL AS TEXT) AS review_kind, CAST(NULL AS TEXT) AS outcome, \
           voided_at, void_reason, comment, CAST(NULL AS UUID) AS case_id \
      FROM post_approvals WHERE organization_id = $1 AND signed_at >= $2 AND signed_at < $3",
    "SELECT 'rejection', rejected_at, post_id, NULL, NULL, signer_id, assignment_id, function, responsibility, \
           policy_id, policy_version, step, NULL, 'REJECTED', NULL, NULL, comment, NULL \
      FROM post_rejections WHERE organization_id = $1 AND rejected_at >= $2 AND rejected_at < $3",
    "SELECT 'legal_review', reviewed_at, CASE WHEN subject_kind = 'POST' THEN subject_id END, subject_kind, \
           subject_reference, reviewer_id, reviewer_assignment_id, 'LEGAL', reviewer_responsibility, \
           NULL, NULL, NULL, kind, outcome, NULL, NULL, notes, NULL \
      FROM legal_reviews WHERE organization_id = $1 AND reviewed_at >= $2 AND reviewed_at < $3",
    "SELECT 'delegated_publication', published_at, id, NULL, NULL, published_by, delegated_assignment_id, \
           delegated_function, delegated_responsibility, delegated_policy_id, delegated_policy_version, NULL, NULL, \
           'PUBLISHED', NULL, NULL, published_url, NULL \
      FROM posts WHERE organization_id = $1 AND delegated_policy_id IS NOT NULL \
           AND published_at >= $2 AND published_at < $3",
];

/// The history's query: the branches, in time order.
fn history_sql(branches: &[&str]) -> String {
    format!(
        "SELECT * FROM ({}) history ORDER BY occurred_at, kind",
        branches.join(" UNION ALL ")
    )
}

/// Chunks sent to the consumer are about this size.
const CHUNK_BYTES: usize = 64 * 1024;

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("encoding: {0}")]
    Encoding(String),
}

/// A buffer the CSV writer writes into and the exporter drains (the writer owns its sink).
#[derive(Clone, Default)]
struct SharedBuffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for SharedBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("export buffer poisoned"))?
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Encodes records into chunks of the chosen format.
enum Encoder {
    // Boxed: the CSV writer carries a large internal buffer.
    Csv(Box<csv::Writer<SharedBuffer>>, SharedBuffer),
    JsonLines(Vec<u8>),
}

impl Encoder {
    fn new(format: ExportFormat) -> Self {
        match format {
            ExportFormat::Csv => {
                let buffer = SharedBuffer::default();
                Encoder::Csv(Box::new(csv::Writer::from_writer(buffer.clone())), buffer)
            }
            ExportFormat::JsonLines => Encoder::JsonLines(Vec::with_capacity(CHUNK_BYTES)),
        }
    }

    fn write(&mut self, record: &ComplianceRecord) -> Result<(), ExportError> {
        match self {
            Encoder::Csv(writer, _) => writer
                .serialize(record.for_spreadsheets())
                .map_err(|e| ExportError::Encoding(e.to_string())),
            Encoder::JsonLines(buffer) => {
                serde_json::to_writer(&mut *buffer, record)
                    .map_err(|e| ExportError::Encoding(e.to_string()))?;
                buffer.push(b'\n');
                Ok(())
            }
        }
    }

    /// Takes what has been encoded so far once it reaches `at_least` bytes.
    fn take(&mut self, at_least: usize) -> Result<Option<Vec<u8>>, ExportError> {
        let take = |buffer: &mut Vec<u8>| {
            (!buffer.is_empty() && buffer.len() >= at_least)
                .then(|| std::mem::replace(buffer, Vec::with_capacity(CHUNK_BYTES)))
        };
        match self {
            Encoder::Csv(writer, shared) => {
                writer
                    .flush()
                    .map_err(|e| ExportError::Encoding(e.to_string()))?;
                let mut buffer = shared
                    .0
                    .lock()
                    .map_err(|_| ExportError::Encoding("export buffer poisoned".into()))?;
                Ok(take(&mut buffer))
            }
            Encoder::JsonLines(buffer) => Ok(take(buffer)),
        }
    }
}

/// Starts streaming the content history of `organization_id` in `range`; the receiver
/// yields encoded chunks, then ends (or yields one error and ends).
pub fn stream(
    db: Db,
    organization_id: Uuid,
    range: ExportRange,
    format: ExportFormat,
) -> mpsc::Receiver<Result<Vec<u8>, ExportError>> {
    stream_history(db, organization_id, range, format, CONTENT_HISTORY.to_vec())
}

/// [`stream`] of the history made of `branches` (every context's, as the server's
/// modules list them: see `Module::compliance_history`).
pub fn stream_history(
    db: Db,
    organization_id: Uuid,
    range: ExportRange,
    format: ExportFormat,
    branches: Vec<&'static str>,
) -> mpsc::Receiver<Result<Vec<u8>, ExportError>> {
    let (sender, receiver) = mpsc::channel(4);
    tokio::spawn(async move {
        let sql = history_sql(&branches);
        let result = produce(&db, &sql, organization_id, range, format, &sender).await;
        if let Err(error) = result {
            tracing::error!(%error, "compliance export failed");
            let _ = sender.send(Err(error)).await;
        }
    });
    receiver
}

async fn produce(
    db: &Db,
    sql: &str,
    organization_id: Uuid,
    range: ExportRange,
    format: ExportFormat,
    sender: &mpsc::Sender<Result<Vec<u8>, ExportError>>,
) -> Result<(), ExportError> {
    let mut encoder = Encoder::new(format);
    let mut records = 0u64;
    on_read!(db, pool => {
        let mut rows = sqlx::query_as::<_, ComplianceRecord>(sql)
            .bind(organization_id)
            .bind(range.from)
            .bind(range.to)
            .fetch(pool);
        while let Some(record) = rows.try_next().await? {
            encoder.write(&record)?;
            records += 1;
            if let Some(chunk) = encoder.take(CHUNK_BYTES)? {
                if sender.send(Ok(chunk)).await.is_err() {
                    // The consumer went away (client disconnected): stop reading.
                    return Ok(());
                }
            }
        }
    });
    if records == 0 && format == ExportFormat::Csv {
        // An empty CSV still names its columns.
        let header = "kind,occurred_at,post_id,subject_kind,subject_reference,actor_id,assignment_id,function,\
                      responsibility,policy_id,policy_version,step,review_kind,outcome,voided_at,void_reason,comment,case_id\n";
        let _ = sender.send(Ok(header.as_bytes().to_vec())).await;
        return Ok(());
    }
    if let Some(chunk) = encoder.take(0)? {
        let _ = sender.send(Ok(chunk)).await;
    }
    tracing::info!(records, "compliance export finished");
    Ok(())
}

/// Who may export an organization's compliance history: its admins, holders of the legal
/// function (any scope, now), and service accounts with the `compliance:export` scope.
pub async fn may_export(db: &Db, principal: &chorus_api::Principal) -> ApiResult<bool> {
    let Some(person) = principal.person_id() else {
        return Ok(principal.has_scope("compliance:export"));
    };
    if chorus_teams::api::is_admin(db, principal.organization_id, person).await? {
        return Ok(true);
    }
    let now = chorus_kernel::now();
    let legal = crate::service::legal_role(db, principal.organization_id, person, now).await?;
    Ok(legal.is_some())
}

#[cfg(test)]
mod tests {
    use super::neutralise_cell;

    #[test]
    fn formula_cells_are_neutralised() {
        for (cell, expected) in [
            (
                "=HYPERLINK(\"http://evil.example\")",
                "'=HYPERLINK(\"http://evil.example\")",
            ),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("\rcmd", "'\rcmd"),
            ("fine = fine", "fine = fine"),
            ("", ""),
        ] {
            assert_eq!(neutralise_cell(cell), expected);
        }
    }
}
