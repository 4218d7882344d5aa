//! `crier`: serve the API, run the sandbox alone, manage keys and linked accounts.

use clap::{Parser, Subcommand};
use crier::cfg::{Config, LogFormat};
use crier::server::{self, BoxError};
use crier_core::Platform;
use crier_store::Store;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "crier", version, about = "Self-hosted, Ayrshare-compatible social-media publishing API")]
struct Cli {
    /// TOML configuration file (default: ./crier.toml if present).
    #[arg(long, global = true, env = "CRIER_CONFIG")]
    config: Option<PathBuf>,
    /// Data directory (overrides the configuration).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the API server.
    Serve {
        #[arg(long)]
        listen: Option<SocketAddr>,
        /// Run the network emulators in-process, link the default profile to them, print an API key.
        #[arg(long)]
        sandbox: bool,
    },
    /// Run only the network emulators (all thirteen networks, and Bitly) and their control API.
    Sandbox {
        #[arg(long, default_value = "127.0.0.1:7000")]
        listen: SocketAddr,
    },
    /// Create or upgrade the database, then exit.
    Migrate,
    #[command(subcommand)]
    Key(KeyCommand),
    #[command(subcommand)]
    Account(AccountCommand),
    #[command(subcommand)]
    Docs(DocsCommand),
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Create an API key (and the account, on first use). The key is shown once.
    Create {
        #[arg(long)]
        label: Option<String>,
        /// Make a new account instead of adding a key to the first one.
        #[arg(long)]
        new_account: bool,
    },
}

#[derive(Subcommand)]
enum AccountCommand {
    /// Link a network account to a profile (until the OAuth linking page exists).
    Link {
        /// Network id, e.g. telegram or bluesky.
        #[arg(long)]
        network: String,
        /// Credentials JSON. Telegram: {"botToken","chatId"}. Bluesky: {"identifier","appPassword"}.
        /// Facebook: {"pageId","accessToken"}. Instagram: {"igUserId","accessToken"}.
        /// Threads: {"threadsUserId","accessToken"}. X: {"accessToken","accessTokenSecret","username"}.
        /// YouTube: {"accessToken","channelId"}.
        #[arg(long)]
        credentials: String,
        /// refId of the profile (default: the first account's primary profile).
        #[arg(long)]
        profile: Option<String>,
        #[arg(long)]
        display_name: Option<String>,
    },
}

#[derive(Subcommand)]
enum DocsCommand {
    /// Print docs/errors.md, generated from the catalog.
    Errors,
}

fn main() {
    let cli = Cli::parse();
    // Logging follows the configuration, so the configuration is read first.
    let cfg = match config(&cli) {
        Ok(c) => c,
        Err(e) => fail(e),
    };
    if let Err(e) = crier::logging::init(&cfg.log) {
        fail(e.into());
    }
    let json_logs = cfg.log.format == LogFormat::Json;
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime starts");
    if let Err(e) = runtime.block_on(run(cli, cfg)) {
        if json_logs {
            // A log shipper reading JSON lines gets this one as JSON too.
            tracing::error!(error = %e, "crier stopped");
            std::process::exit(1);
        }
        fail(e);
    }
}

fn fail(e: BoxError) -> ! {
    eprintln!("crier: {e}");
    std::process::exit(1);
}

fn config(cli: &Cli) -> Result<Config, BoxError> {
    let mut cfg = Config::load(cli.config.as_deref())?;
    if let Some(d) = &cli.data_dir {
        cfg.data_dir = d.clone();
    }
    Ok(cfg)
}

async fn open_store(cfg: &Config) -> Result<Store, BoxError> {
    Ok(Store::open(cfg.database_url.as_deref(), &cfg.data_dir, crier::cipher(cfg)?).await?)
}

async fn run(cli: Cli, mut cfg: Config) -> Result<(), BoxError> {
    match cli.command {
        Command::Serve { listen, sandbox } => {
            if let Some(l) = listen {
                cfg.listen = l;
            }
            cfg.sandbox |= sandbox;
            let running = server::start(cfg.clone()).await?;
            println!("crier listening on http://{}", running.addr);
            if let Some((sb, key)) = &running.sandbox {
                let networks: Vec<&str> = Platform::ALL.iter().map(|p| p.as_str()).collect();
                println!("crier sandbox on {} ({}); control API: {}/_sandbox/", sb.url, networks.join(", "), sb.url);
                println!("crier API key: {key}");
                println!(
                    "X posts need the sandbox app's keys: X-Twitter-OAuth1-Api-Key: {} / X-Twitter-OAuth1-Api-Secret: {}",
                    crier_sandbox::seed::X_CONSUMER_KEY,
                    crier_sandbox::seed::X_CONSUMER_SECRET
                );
                println!("(the key is also in {})", cfg.data_dir.join("sandbox-api-key").display());
            }
            server::shutdown_signal().await;
            tracing::info!("shutting down");
            running.shutdown().await;
        }
        Command::Sandbox { listen } => {
            let handle = crier_sandbox::start(listen).await?;
            println!("crier sandbox on {}; control API: {}/_sandbox/", handle.url, handle.url);
            server::shutdown_signal().await;
            handle.shutdown();
        }
        Command::Migrate => {
            open_store(&cfg).await?.close().await;
            println!("database in {} is up to date", cfg.data_dir.display());
        }
        Command::Key(KeyCommand::Create { label, new_account }) => {
            let store = open_store(&cfg).await?;
            let account = match store.first_account().await? {
                Some(a) if !new_account => a,
                _ => store.create_account().await?,
            };
            let key = store.create_api_key(&account, label.as_deref()).await?;
            store.close().await;
            println!("{key}");
        }
        Command::Account(AccountCommand::Link { network, credentials, profile, display_name }) => {
            let platform = Platform::parse(&network).ok_or_else(|| format!("unknown network {network:?}"))?;
            let creds: serde_json::Value = serde_json::from_str(&credentials).map_err(|e| format!("--credentials is not JSON: {e}"))?;
            let store = open_store(&cfg).await?;
            let account = store.first_account().await?.ok_or("no account yet: run `crier key create` first")?;
            let profile = match profile {
                Some(r) => store.profile_by_ref(&account, &r).await?.ok_or_else(|| format!("no profile with refId {r}"))?,
                None => store.primary_profile(&account).await?,
            };
            store.link_network(&profile.id, platform, &creds, display_name.as_deref()).await?;
            store.close().await;
            println!("linked {platform} to profile {} ({})", profile.title, profile.ref_id);
        }
        Command::Docs(DocsCommand::Errors) => print!("{}", crier_core::catalog::render_docs()),
    }
    Ok(())
}
