//! The `chorus` binary.

use std::io::Write;
use std::process::ExitCode;

use chorus_server::cli::{self, CliError, Issued};
use chorus_server::{http, Config};
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;
use uuid::Uuid;

#[derive(Parser)]
#[command(
    name = "chorus",
    version,
    about = "Governance backend for corporate social media teams"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the GraphQL API (the default).
    Serve {
        /// Address to listen on (overrides CHORUS_LISTEN and the config file).
        #[arg(long)]
        listen: Option<String>,
    },
    /// Create an organization with its first admin and print the admin's token.
    Init {
        #[arg(long)]
        org: String,
        #[arg(long)]
        admin_email: String,
        #[arg(long)]
        admin_name: Option<String>,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Issue a local token for a person, or for a service account of an organization.
    Token {
        #[arg(long, conflicts_with_all = ["organization", "scope"])]
        person: Option<Uuid>,
        /// Organization of a new service account (with --scope).
        #[arg(long, requires = "scope")]
        organization: Option<Uuid>,
        /// Scopes of the service account: teams:read, teams:write, content:publish,
        /// compliance:export, cases:intake, cases:read, scim:provision.
        #[arg(long)]
        scope: Vec<String>,
        /// Issue the token for this existing service account (rotation) instead of a new one.
        #[arg(long, requires = "organization")]
        service_account: Option<Uuid>,
        /// What the token is for (shown when tokens are listed).
        #[arg(long, requires = "organization")]
        description: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List or revoke registered service-account tokens.
    Tokens {
        #[command(subcommand)]
        command: TokensCommand,
    },
    /// Load a realistic demo organization and print its admin's token.
    Demo {
        #[arg(long)]
        json: bool,
    },
    /// Manage read models.
    Projections {
        #[command(subcommand)]
        command: ProjectionsCommand,
    },
    /// Print the GraphQL schema (SDL).
    Schema,
    /// Export an organization's compliance history (approvals, rejections, legal reviews,
    /// delegated publications) for a time range, streamed.
    Export {
        #[arg(long)]
        organization: Uuid,
        /// Start of the range (RFC 3339, inclusive).
        #[arg(long)]
        from: String,
        /// End of the range (RFC 3339, exclusive).
        #[arg(long)]
        to: String,
        /// csv or jsonl.
        #[arg(long, default_value = "csv")]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
}

#[derive(Subcommand)]
enum TokensCommand {
    /// The organization's service-account tokens (active ones unless --include-revoked).
    List {
        #[arg(long)]
        organization: Uuid,
        #[arg(long)]
        include_revoked: bool,
        #[arg(long)]
        json: bool,
    },
    /// Revoke one token: it is refused from now on.
    Revoke {
        token_id: Uuid,
        #[arg(long)]
        reason: Option<String>,
    },
}

#[derive(Subcommand)]
enum ProjectionsCommand {
    /// Empty and replay read models from the log (all, or the one named).
    Rebuild { name: Option<String> },
    /// List projections, their checkpoints and the events they hold in quarantine.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Apply a projection's quarantined events again once their cause is fixed (all of
    /// them, or those of the aggregate of the event at --position).
    Retry {
        name: String,
        #[arg(long)]
        position: Option<i64>,
    },
    /// Leave the failed event at --position out of a projection's read model, then
    /// retry the events of its aggregate held behind it.
    Skip {
        name: String,
        #[arg(long)]
        position: i64,
    },
}

fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
}

fn print_issued(issued: &Issued, json: bool) {
    if json {
        print(&serde_json::to_string(issued).unwrap_or_default());
    } else {
        print(&format!("organization_id: {}", issued.organization_id));
        if let Some(id) = issued.person_id {
            print(&format!("person_id:       {id}"));
        }
        if let Some(id) = issued.service_account_id {
            print(&format!("service_account: {id}"));
        }
        if let Some(id) = issued.token_id {
            print(&format!("token_id:        {id}"));
        }
        print(&format!("token:           {}", issued.token));
    }
}

fn print_retry(name: &str, outcome: &chorus_kernel::quarantine::RetryOutcome) {
    print(&format!(
        "{name}: {} event(s) applied, {} still in quarantine",
        outcome.applied, outcome.still_quarantined
    ));
}

async fn run(cli: Cli, mut config: Config) -> Result<(), CliError> {
    match cli.command.unwrap_or(Command::Serve { listen: None }) {
        Command::Serve { listen } => {
            if let Some(listen) = listen {
                config.listen = listen;
            }
            let graphiql = config.graphiql_enabled();
            let server = http::start(config, true).await?;
            if graphiql {
                tracing::info!("GraphiQL: {}/graphql", server.url());
            }
            tracing::info!(
                "GraphQL: POST {}/graphql, subscriptions: {}/graphql/ws",
                server.url(),
                server.url().replace("http", "ws")
            );
            server
                .wait()
                .await
                .map_err(|e| CliError::Refused(e.to_string()))?;
            tracing::info!("stopped");
        }
        Command::Init {
            org,
            admin_email,
            admin_name,
            json,
        } => {
            let state = http::open_state(config).await?;
            let issued = cli::init(&state, &org, &admin_email, admin_name.as_deref()).await;
            state.shutdown().await;
            print_issued(&issued?, json);
        }
        Command::Token {
            person,
            organization,
            scope,
            service_account,
            description,
            json,
        } => {
            let state = http::open_state(config).await?;
            let issued = match (person, organization) {
                (Some(person), _) => cli::token_for_person(&state, person).await,
                (None, Some(org)) => {
                    cli::token_for_service(
                        &state,
                        org,
                        &scope,
                        service_account,
                        description.as_deref(),
                    )
                    .await
                }
                (None, None) => Err(CliError::Input {
                    field: "person",
                    rule: "give --person ID, or --organization ID with --scope".into(),
                }),
            };
            state.shutdown().await;
            print_issued(&issued?, json);
        }
        Command::Tokens { command } => {
            let state = http::open_state(config).await?;
            let result = match command {
                TokensCommand::List {
                    organization,
                    include_revoked,
                    json,
                } => cli::service_tokens(&state, organization, include_revoked)
                    .await
                    .map(|tokens| {
                        if json {
                            print(&serde_json::to_string(&tokens).unwrap_or_default());
                        }
                        for token in tokens.iter().filter(|_| !json) {
                            print(&format!(
                                "{} service account {} [{}] expires {}{}{}",
                                token.id,
                                token.service_account_id,
                                token.scopes,
                                token.expires_at.to_rfc3339(),
                                token
                                    .revoked_at
                                    .map(|at| format!(", revoked {}", at.to_rfc3339()))
                                    .unwrap_or_default(),
                                token
                                    .description
                                    .as_deref()
                                    .map(|d| format!(": {d}"))
                                    .unwrap_or_default(),
                            ));
                        }
                    }),
                TokensCommand::Revoke { token_id, reason } => {
                    cli::revoke_service_token(&state, token_id, reason.as_deref())
                        .await
                        .map(|()| print(&format!("token {token_id} revoked")))
                }
            };
            state.shutdown().await;
            result?;
        }
        Command::Demo { json } => {
            let state = http::open_state(config).await?;
            let issued = chorus_server::demo::load(&state).await;
            state.shutdown().await;
            print_issued(&issued?, json);
        }
        Command::Projections { command } => {
            let state = http::open_state(config).await?;
            let result = match command {
                ProjectionsCommand::Rebuild { name } => state
                    .projector
                    .rebuild_exclusive(name.as_deref())
                    .await
                    .map_err(CliError::from)
                    .map(|n| {
                        print(&format!(
                            "replayed {n} events into {}",
                            name.as_deref().unwrap_or("all projections")
                        ));
                    }),
                ProjectionsCommand::Status { json } => {
                    cli::projections_status(&state).await.map(|statuses| {
                        if json {
                            print(&serde_json::to_string(&statuses).unwrap_or_default());
                        } else {
                            print(cli::render_status(&statuses).trim_end());
                        }
                    })
                }
                ProjectionsCommand::Retry { name, position } => state
                    .projector
                    .retry_quarantined(&name, position)
                    .await
                    .map_err(CliError::from)
                    .map(|outcome| print_retry(&name, &outcome)),
                ProjectionsCommand::Skip { name, position } => state
                    .projector
                    .skip_quarantined(&name, position)
                    .await
                    .map_err(CliError::from)
                    .map(|outcome| {
                        print(&format!("{name}: event {position} skipped"));
                        print_retry(&name, &outcome);
                    }),
            };
            state.shutdown().await;
            result?;
        }
        Command::Schema => print(&chorus_server::graphql::sdl()),
        Command::Export {
            organization,
            from,
            to,
            format,
            output,
        } => {
            use chorus_server::content::export::{self, ExportFormat, ExportRange};
            let format: ExportFormat = format.parse()?;
            let range = ExportRange::parse(Some(&from), Some(&to))?;
            let state = http::open_state(config).await?;
            let mut sink: Box<dyn Write> = match &output {
                Some(path) => Box::new(
                    std::fs::File::create(path)
                        .map_err(|e| CliError::Refused(format!("{}: {e}", path.display())))?,
                ),
                None => Box::new(std::io::stdout().lock()),
            };
            let mut receiver = export::stream_history(
                state.db.clone(),
                organization,
                range,
                format,
                state.compliance_history(),
            );
            let mut result = Ok(());
            while let Some(chunk) = receiver.recv().await {
                match chunk {
                    Ok(bytes) => {
                        if let Err(error) = sink.write_all(&bytes) {
                            result = Err(CliError::Refused(error.to_string()));
                            break;
                        }
                    }
                    Err(error) => {
                        result = Err(CliError::Refused(format!("export failed: {error}")));
                        break;
                    }
                }
            }
            let _ = sink.flush();
            state.shutdown().await;
            result?;
        }
    }
    Ok(())
}

/// mimalloc instead of glibc malloc: a team read allocates hundreds of small objects, and
/// glibc's allocator was a fifth of its CPU (docs/performance-analysis.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let config = match Config::load() {
        Ok(config) => config,
        Err(error) => {
            tracing::error!(%error, "configuration is invalid");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            tracing::error!(%error, "could not start the runtime");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "chorus failed");
            ExitCode::FAILURE
        }
    }
}
