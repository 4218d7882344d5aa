//! Webhook delivery (issue 17): sends the outbox's events (crier-store webhook_outbox.rs) to the
//! URL registered for their action — the profile's, else its primary profile's — signed, behind the
//! SSRF guard, with no redirects followed, and retried on a Svix-like schedule. Events are leased
//! like jobs, so two nodes never send one at the same time; a crash mid-delivery sends it again
//! after the lease (at least once, same `webhook-id`).

mod schedule;
mod sign;

pub use schedule::WebhookSettings;
pub use sign::whsec;

use crate::Engine;
use crier_media::OutboundGuard;
use crier_store::{EventNext, RegistrationNext, WebhookAttempt, WebhookEvent, WebhookRegistration};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

/// Longest sleep between two looks at the outbox.
const IDLE_POLL: Duration = Duration::from_millis(500);

/// How often settled events older than the retention are deleted.
const PRUNE_EVERY: Duration = Duration::from_secs(600);

/// The configured sender: settings, the guard, one client for every delivery.
pub struct WebhookSender {
    settings: WebhookSettings,
    guard: OutboundGuard,
    client: reqwest::Client,
}

impl WebhookSender {
    pub fn new(settings: WebhookSettings, guard: OutboundGuard) -> Result<WebhookSender, String> {
        let client = guard.client(settings.timeout, concat!("crier-webhooks/", env!("CARGO_PKG_VERSION")))?;
        Ok(WebhookSender { settings, guard, client })
    }

    pub fn guard(&self) -> &OutboundGuard {
        &self.guard
    }

    /// A lease outlives any one delivery (timeout plus margin); an expired one means its node died.
    fn lease_ms(&self) -> i64 {
        (self.settings.timeout + Duration::from_secs(5)).as_millis() as i64
    }
}

/// The answer to one attempt.
struct Answer {
    http_code: Option<i64>,
    error: Option<String>,
    retry_after: Option<Duration>,
    latency_ms: i64,
    /// The SSRF guard refused the target.
    refused: bool,
}

impl Engine {
    /// Turns webhook delivery on (server start-up); the worker loop then sends the outbox.
    pub fn set_webhooks(&self, sender: WebhookSender) {
        let _ = self.webhooks.set(Arc::new(sender));
    }

    /// The delivery side, when configured (the API checks registration URLs with its guard).
    pub fn webhooks(&self) -> Option<&Arc<WebhookSender>> {
        self.webhooks.get()
    }

    /// Sends due outbox events until `stop` turns true (started by `run`, next to the job loop).
    pub(crate) async fn deliver_webhooks_until(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        let Some(sender) = self.webhooks.get().cloned() else { return };
        if self.store.single_node()
            && let Err(e) = self.store.release_webhook_leases().await
        {
            tracing::error!(error = %e, "could not release old webhook leases");
        }
        let slots = Arc::new(Semaphore::new(sender.settings.concurrency.max(1)));
        let mut tasks = JoinSet::new();
        let mut pruned: Option<Instant> = None;
        loop {
            if *stop.borrow() {
                break;
            }
            if pruned.is_none_or(|at| at.elapsed() > PRUNE_EVERY) {
                pruned = Some(Instant::now());
                let before = self.store.now_ms() - sender.settings.retention.as_millis() as i64;
                if let Err(e) = self.store.prune_webhook_history(before).await {
                    tracing::warn!(error = %e, "pruning webhook history failed");
                }
            }
            while tasks.try_join_next().is_some() {}
            let free = slots.available_permits() as i64;
            if free > 0 {
                match self.store.claim_webhook_events(&self.owner, sender.lease_ms(), free).await {
                    Ok(events) => {
                        for event in events {
                            let permit = slots.clone().acquire_owned().await.expect("semaphore is never closed");
                            let (engine, sender) = (self.clone(), sender.clone());
                            tasks.spawn(async move {
                                engine.deliver_webhook(&sender, event).await;
                                drop(permit);
                            });
                        }
                    }
                    Err(e) => tracing::error!(error = %e, "claiming webhook events failed"),
                }
            }
            let sleep = match self.store.next_webhook_wakeup_ms().await {
                Ok(Some(at)) => Duration::from_millis((at - self.store.now_ms()).clamp(0, IDLE_POLL.as_millis() as i64) as u64),
                _ => IDLE_POLL,
            };
            tokio::select! {
                _ = tokio::time::sleep(sleep.max(Duration::from_millis(20))) => {}
                _ = stop.changed() => {}
            }
        }
        // In-flight deliveries finish (each within the timeout); what is cut is sent again later.
        let _ = tokio::time::timeout(sender.settings.timeout, async { while tasks.join_next().await.is_some() {} }).await;
    }

    async fn deliver_webhook(&self, sender: &WebhookSender, event: WebhookEvent) {
        let result = self.try_deliver_webhook(sender, &event).await;
        if let Err(e) = result {
            // The lease runs out and the event is tried again.
            tracing::error!(error = %e, event = %event.id, "webhook delivery could not be recorded");
        }
    }

    async fn try_deliver_webhook(&self, sender: &WebhookSender, event: &WebhookEvent) -> crier_store::Result<()> {
        let store = &self.store;
        let Some(target) = store.webhook_target(&event.profile_id, &event.action).await? else {
            tracing::debug!(event = %event.id, action = %event.action, "no webhook registered: dropped");
            store.finish_webhook_event(event, &self.owner, None, &EventNext::Dropped, None).await?;
            return Ok(());
        };
        let reg = (target.profile_id.as_str(), target.action.as_str());
        let at_ms = store.now_ms();
        let mut attempt = WebhookAttempt {
            id: crier_store::attempt_id(),
            event_id: event.id.clone(),
            action: event.action.clone(),
            url: Some(target.url.clone()),
            at_ms,
            outcome: String::new(),
            http_code: None,
            latency_ms: None,
            error: None,
            next_try_ms: None,
        };
        if target.disabled_ms.is_some() {
            attempt.outcome = "disabled".into();
            attempt.error = Some(format!("the registration is disabled: {}", target.disabled_reason.as_deref().unwrap_or("")));
            store.finish_webhook_event(event, &self.owner, Some(&attempt), &EventNext::Failed, None).await?;
            return Ok(());
        }
        let answer = self.send(sender, event, &target).await;
        attempt.http_code = answer.http_code;
        attempt.latency_ms = Some(answer.latency_ms);
        attempt.error = answer.error.map(|e| crier_networks::redact::redact_text(&e, &target.secret.iter().cloned().collect::<Vec<_>>()));
        let ok = answer.http_code.is_some_and(|c| (200..300).contains(&c));
        let (next, reg_next) = if ok {
            attempt.outcome = "delivered".into();
            (EventNext::Delivered, RegistrationNext::Healthy)
        } else if answer.http_code == Some(410) {
            attempt.outcome = "disabled".into();
            (EventNext::Failed, RegistrationNext::Disable { reason: "the receiver answered 410 Gone".into() })
        } else if target.failing_since_ms.is_some_and(|s| at_ms - s >= sender.settings.disable_after.as_millis() as i64) {
            attempt.outcome = "disabled".into();
            let reason = format!(
                "every delivery failed for {} s; last: {}",
                (at_ms - target.failing_since_ms.unwrap_or(at_ms)) / 1000,
                attempt.error.clone().or(answer.http_code.map(|c| format!("HTTP {c}"))).unwrap_or_default()
            );
            (EventNext::Failed, RegistrationNext::Disable { reason })
        } else {
            let unit = {
                use rand::Rng;
                self.jitter.lock().unwrap_or_else(|e| e.into_inner()).random::<f64>()
            };
            match schedule::next_delay(&sender.settings, event.attempts + 1, unit, answer.retry_after) {
                Some(delay) => {
                    let at = at_ms + delay.as_millis() as i64;
                    attempt.outcome = if answer.refused { "refused".into() } else { "failed".into() };
                    attempt.next_try_ms = Some(at);
                    (EventNext::Retry { at_ms: at }, RegistrationNext::Failing)
                }
                None => {
                    attempt.outcome = "exhausted".into();
                    (EventNext::Failed, RegistrationNext::Failing)
                }
            }
        };
        // Series for alerting on receivers that keep failing (no HELP text: telemetry.rs is shared).
        metrics::counter!("crier_webhook_attempts_total", "action" => event.action.clone(), "outcome" => attempt.outcome.clone()).increment(1);
        metrics::histogram!("crier_webhook_attempt_duration_seconds", "outcome" => attempt.outcome.clone()).record(answer.latency_ms as f64 / 1000.0);
        if let RegistrationNext::Disable { reason } = &reg_next {
            tracing::warn!(profile = %target.profile_id, action = %target.action, %reason, "webhook registration disabled");
        }
        store.finish_webhook_event(event, &self.owner, Some(&attempt), &next, Some((reg.0, reg.1, &reg_next))).await?;
        Ok(())
    }

    /// One POST: the body is the event's payload plus the registration's `url` (as Ayrshare's).
    async fn send(&self, sender: &WebhookSender, event: &WebhookEvent, target: &WebhookRegistration) -> Answer {
        let started = Instant::now();
        let failed = |error: String, refused: bool| Answer { http_code: None, error: Some(error), retry_after: None, latency_ms: started.elapsed().as_millis() as i64, refused };
        // Checked at every delivery: the name may resolve elsewhere now (the client's resolver checks again).
        if let Err(e) = sender.guard.check(&target.url).await {
            return failed(format!("refused by the SSRF guard: {e}"), true);
        }
        let mut payload = event.payload.clone();
        payload["url"] = serde_json::json!(target.url);
        let body = payload.to_string().into_bytes();
        let timestamp = self.store.now_ms() / 1000;
        let mut request = sender
            .client
            .post(&target.url)
            .header("content-type", "application/json")
            .header("webhook-id", &event.id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", sign::standard_signature(&target.signing_key, &event.id, timestamp, &body));
        if let Some(secret) = &target.secret {
            request = request
                .header("X-Authorization-Timestamp", timestamp.to_string())
                .header("X-Authorization-Content-SHA256", sign::ayrshare_signature(secret, &body));
        }
        match request.body(body).send().await {
            Ok(resp) => {
                let code = resp.status().as_u16() as i64;
                let retry_after = schedule::retry_after(resp.headers());
                let error = match code {
                    200..=299 => None,
                    300..=399 => Some(format!("HTTP {code}: redirects are not followed")),
                    _ => Some(format!("HTTP {code}")),
                };
                Answer { http_code: Some(code), error, retry_after, latency_ms: started.elapsed().as_millis() as i64, refused: false }
            }
            Err(e) => match OutboundGuard::refusal(&e) {
                Some(why) => failed(format!("refused by the SSRF guard: {why}"), true),
                None if e.is_timeout() => failed(format!("no answer within {} ms", sender.settings.timeout.as_millis()), false),
                None => failed(error_chain(&e), false),
            },
        }
    }
}

fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut current = err.source();
    while let Some(e) = current {
        parts.push(e.to_string());
        current = e.source();
    }
    parts.join(": ")
}
