//! One delivery's way through its network, one persisted step at a time (docs/delivery.md).

use crate::media_prep::MediaPlan;
use crate::telemetry::{self, timed};
use crate::Engine;
use crier_core::request::PostRequest;
use crier_core::{Action, Code, ErrorReport, Platform};
use crier_networks::{Call, Confirmed, Content, Failure, Network, Poll, Published, Reconciled};
use crier_store::{Cap, CapReservation, DeliveryRecord, DeliveryState, Phase, PostRecord, PostStatus, Settlement};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use tracing::Instrument;

enum MediaStep {
    Ready,
    /// The delivery changed meanwhile (cancelled): stop.
    MovedOn,
    Failed(Failure),
}

/// One run of a delivery: the network, the call context and what is being sent.
struct Attempt<'a> {
    network: &'a dyn Network,
    call: Call<'a>,
    content: Content,
    /// When the delivery was first due: automatic retries end a deadline after it.
    started_ms: i64,
    /// An immediate post's first run: when its request stops waiting for the answer. A wait
    /// signal reaching past it is answered with the error at once (`EngineConfig::answer_wait`).
    answer_by_ms: Option<i64>,
}

fn content_of(post: &PostRecord, d: &DeliveryRecord) -> Content {
    let platform = d.platform;
    let parsed = PostRequest::parse(&post.request).ok();
    Content {
        text: d.text.clone().unwrap_or_else(|| post.text.clone()),
        media_urls: d.media_urls.clone().unwrap_or_else(|| post.media_urls.clone()),
        is_video: parsed.as_ref().is_some_and(|r| r.is_video),
        options: {
            let mut options = parsed.and_then(|r| r.options.get(&platform).cloned()).unwrap_or_default();
            if let Some(thumbnail) = &d.thumbnail_url {
                options.insert("thumbNail".into(), Value::String(thumbnail.clone()));
            }
            options
        },
    }
}

/// The span every log line of one delivery run carries; `process` fills in the post, the
/// network and the id of the HTTP request that made the post once it has read them.
pub(crate) fn delivery_span(delivery_id: &str) -> tracing::Span {
    use tracing::field::Empty;
    tracing::info_span!("delivery", delivery = %delivery_id, network = Empty, post = Empty, request_id = Empty)
}

fn network_error(code: Code, platform: Platform) -> ErrorReport {
    ErrorReport::for_platform(code, Action::Post, platform).arg("network", platform.display_name())
}

impl Engine {
    /// Runs one claimed job. Errors of the store are logged; the job's lease then expires and it runs again.
    pub(crate) async fn process(self: &Arc<Self>, delivery_id: &str) {
        // The lease is renewed while the delivery runs, so a slow upload is never taken over
        // by another worker (or node) while it is still in progress.
        let heartbeat = async {
            let lease = self.config.lease;
            loop {
                tokio::time::sleep(lease / 3).await;
                match self.store.extend_lease(delivery_id, &self.owner, lease.as_millis() as i64).await {
                    Ok(true) => {}
                    Ok(false) => tracing::warn!(delivery = delivery_id, "lease lost while running"),
                    Err(e) => tracing::warn!(delivery = delivery_id, error = %e, "lease could not be renewed"),
                }
            }
        };
        let work = self.try_process(delivery_id);
        let run = async {
            tokio::select! {
                result = work => {
                    if let Err(e) = result {
                        tracing::error!(error = %e, "delivery step failed; will resume after the lease");
                    }
                }
                _ = heartbeat => {}
            }
        };
        run.instrument(delivery_span(delivery_id)).await
    }

    pub(crate) async fn try_process(self: &Arc<Self>, delivery_id: &str) -> crier_store::Result<()> {
        let Some(mut d) = self.store.delivery(delivery_id).await? else { return Ok(()) };
        let Some(post) = self.store.post_by_id(&d.post_id).await? else { return Ok(()) };
        // The span of the delivery (opened by the worker) learns which request made it.
        // (`display`: plain text, like the request span's id, not a quoted Debug string.)
        use tracing::field::display;
        let span = tracing::Span::current();
        span.record("network", display(d.platform.as_str()));
        span.record("post", display(&post.id));
        if let Some(id) = post.request_id() {
            span.record("request_id", display(id));
        }
        if d.state == DeliveryState::Published && d.removal_state() == Some("requested") {
            return self.run_removal(&mut d, &post).await;
        }
        if d.state.is_settled() {
            return Ok(());
        }
        if post.status == PostStatus::Deleted && !matches!(d.state, DeliveryState::Publishing | DeliveryState::Accepted) {
            return Ok(());
        }
        self.store.mark_processing(&post.id).await?;
        let mut credentials = match self.fresh_credentials(&post.profile_id, d.platform, Action::Post).await? {
            Ok(Some(c)) => c,
            Ok(None) => return self.settle(&d, Settlement::Failed(&network_error(Code::NotLinked, d.platform))).await,
            // Needs a relink: fails at once, without calling the network.
            Err(Failure::Rejected(e) | Failure::Transient { error: e, .. }) => return self.settle(&d, Settlement::Failed(&e)).await,
            Err(Failure::Ambiguous { details }) => return self.settle(&d, Settlement::Failed(&network_error(Code::NetworkUnavailable, d.platform).details(details))).await,
        };
        if d.platform == Platform::Twitter
            && let Some(keys) = self.byo_for(&post.id)
        {
            credentials = keys.apply(&credentials);
        }
        let Some(network) = self.networks.get(d.platform).cloned() else {
            let e = network_error(Code::NetworkRejected, d.platform).details("this crier build has no connector for the network");
            return self.settle(&d, Settlement::Failed(&e)).await;
        };
        // A capped account's slot is taken before the delivery's first network call, and kept
        // until the delivery is published, unknown, or certainly not published.
        let cap = network.publish_cap(&credentials);
        if let Some(c) = &cap
            && d.state == DeliveryState::Queued
        {
            let store_cap = Cap { key: c.key.clone(), limit: c.limit as i64, window_ms: c.window.as_millis() as i64 };
            if let CapReservation::Reached { frees_in_ms, .. } = self.store.reserve_cap(&d.id, &store_cap).await? {
                let mut e = c.error.clone();
                // Like a Retry-After: seconds until the oldest post leaves the rolling window.
                e.details = Some(((frees_in_ms + 999) / 1000).to_string());
                return self.settle(&d, Settlement::Failed(&e)).await;
            }
        }
        let media_failure = match self.convert_media(&post, &mut d).await? {
            MediaStep::Ready => None,
            MediaStep::MovedOn => return Ok(()),
            MediaStep::Failed(f) => Some(f),
        };
        let run = Attempt {
            network: network.as_ref(),
            call: Call { http: &self.networks.http, credentials: &credentials },
            content: content_of(&post, &d),
            started_ms: post.schedule_ms.unwrap_or(post.created_ms),
            answer_by_ms: self.answer_by_ms(&post),
        };
        if let Some(f) = media_failure {
            return self.handle_failure(&mut d, &run, f, DeliveryState::Queued).await;
        }

        // Accepted earlier, or answered just before this process died (publishing with the
        // network's id): only ask whether it went live. Never sent again.
        let answered = d.state == DeliveryState::Publishing && d.native_id.is_some() && !d.in_doubt;
        if d.state == DeliveryState::Accepted || answered {
            let accepted = Published {
                id: d.native_id.clone().unwrap_or_default(),
                url: d.post_url.clone(),
                extras: d.extras.as_ref().and_then(Value::as_object).cloned().unwrap_or_default(),
            };
            return self.confirm(&mut d, &run, accepted).await;
        }
        if d.state == DeliveryState::Publishing {
            // The previous attempt may have reached the network (lost answer, or this process
            // died mid-call): settle the doubt before anything else. Never re-sent from here.
            d.in_doubt = true;
            // A delivery left publishing by a version that did not record the attempt's start:
            // its window counts from now (persisted with the next step), never from the epoch.
            d.publish_started_ms.get_or_insert(self.now_ms());
            let why = d.error.as_ref().and_then(|e| e.details.clone()).unwrap_or_else(|| "interrupted while publishing".into());
            return self.settle_doubt(&mut d, &run, &why).await;
        }
        if d.state == DeliveryState::Queued {
            d.calls.count(Phase::Prepare);
            match timed(d.platform, Phase::Prepare, run.network.prepare(&run.call, &run.content)).await {
                Ok(step) => {
                    if !self.store.save_prepared(&d, &step).await? {
                        return Ok(());
                    }
                    d.state = DeliveryState::Prepared;
                    d.step = Some(step);
                }
                Err(f) => return self.handle_failure(&mut d, &run, f, DeliveryState::Queued).await,
            }
        }
        let step = d.step.clone().unwrap_or(Value::Null);
        d.calls.count(Phase::Poll);
        match timed(d.platform, Phase::Poll, run.network.poll(&run.call, &run.content, &step)).await {
            Ok(Poll::Ready(ready)) => {
                if ready != step && !self.store.save_prepared(&d, &ready).await? {
                    return Ok(());
                }
                d.step = Some(ready);
            }
            Ok(Poll::Pending { step: waiting, retry_in }) => {
                if !self.store.save_prepared(&d, &waiting).await? {
                    return Ok(());
                }
                let at = self.now_ms() + retry_in.as_millis() as i64;
                return self.store.requeue(&d, DeliveryState::Prepared, at, None).await;
            }
            Err(f) => return self.handle_failure(&mut d, &run, f, DeliveryState::Prepared).await,
        }

        // The publish: persisted as begun (and in doubt) before the call, so a crash or a lost
        // answer leads to a lookup, never to a blind second send.
        d.calls.count(Phase::Publish);
        d.in_doubt = true;
        if !self.store.begin_publish(&d).await? {
            return Ok(()); // cancelled (post deleted) or taken by another worker
        }
        d.state = DeliveryState::Publishing;
        d.publish_started_ms = Some(self.now_ms());
        d.attempts += 1;
        let step = d.step.clone().unwrap_or(Value::Null);
        match timed(d.platform, Phase::Publish, run.network.publish(&run.call, &run.content, &step)).await {
            Ok(mut p) => {
                if let Some(c) = &cap {
                    let used = self.store.cap_used(&c.key, c.window.as_millis() as i64).await?;
                    p.extras.insert("usedQuota".into(), used.into());
                }
                d.in_doubt = false;
                // The answer is persisted before the next call (the confirmation).
                let extras = (!p.extras.is_empty()).then(|| Value::Object(p.extras.clone()));
                let acceptance = Settlement::Published { native_id: &p.id, url: p.url.as_deref(), extras: extras.as_ref() };
                self.store.record_acceptance(&d, acceptance).await?;
                self.confirm(&mut d, &run, p).await
            }
            Err(Failure::Ambiguous { details }) => self.settle_doubt(&mut d, &run, &details).await,
            Err(f) => {
                // Rejected or transient: the network certainly did not publish this attempt.
                d.in_doubt = false;
                self.handle_failure(&mut d, &run, f, DeliveryState::Prepared).await
            }
        }
    }

    fn now_ms(&self) -> i64 {
        self.store.now_ms()
    }

    /// A draw in [0, 1) for backoff jitter (seeded in simulations, so schedules replay).
    fn jitter(&self) -> f64 {
        use rand::Rng;
        self.jitter.lock().map(|mut r| r.random::<f64>()).unwrap_or(0.5)
    }

    /// A failure before or of the publish call that certainly published nothing.
    async fn handle_failure(&self, d: &mut DeliveryRecord, run: &Attempt<'_>, failure: Failure, resume: DeliveryState) -> crier_store::Result<()> {
        match failure {
            // The token expired or was revoked: refresh once and try again (tokens.rs), unless
            // this delivery already came back from such a refresh (then the failure stands).
            Failure::Rejected(e) if crate::tokens::is_token_failure(d.platform, &e) && !d.error.as_ref().is_some_and(|p| crate::tokens::is_token_failure(d.platform, p)) => {
                let profile = self.store.post_by_id(&d.post_id).await?.map(|p| p.profile_id).unwrap_or_default();
                match self.after_token_failure(&profile, d.platform, Action::Post, run.call.credentials, &e).await? {
                    Ok(_) => self.store.requeue(d, resume, self.now_ms(), Some(&e)).await,
                    Err(Failure::Rejected(e)) => self.settle(d, Settlement::Failed(&e)).await,
                    Err(Failure::Transient { error, retry_after }) => self.retry_or_fail(d, run, resume, &error, retry_after).await,
                    Err(Failure::Ambiguous { details }) => self.retry_or_fail(d, run, resume, &run.network.unavailable(details), None).await,
                }
            }
            Failure::Rejected(e) => self.settle(d, Settlement::Failed(&e)).await,
            Failure::Transient { error, retry_after } => self.retry_or_fail(d, run, resume, &error, retry_after).await,
            // Preparing publishes nothing (by the trait's contract): a lost answer there is transient.
            Failure::Ambiguous { details } => self.retry_or_fail(d, run, resume, &run.network.unavailable(details), None).await,
        }
    }

    /// Counts one failed attempt; schedules the next under the retry policy, or settles as failed.
    async fn retry_or_fail(&self, d: &mut DeliveryRecord, run: &Attempt<'_>, resume: DeliveryState, error: &ErrorReport, hint: Option<Duration>) -> crier_store::Result<()> {
        d.failures += 1;
        let now = self.now_ms();
        if let (Some(wait), Some(by)) = (hint, run.answer_by_ms)
            && now <= by
            && now + wait.as_millis() as i64 > by
        {
            // The caller would be told `pending` while crier waits: tell them the network's
            // error (e.g. 435 with the seconds) now. Nothing was published, so a new post is safe.
            tracing::info!(?wait, code = error.code, "network asks for a wait longer than the request's; answered now");
            return self.settle(d, Settlement::Failed(error)).await;
        }
        match self.next_delay(d.failures, run.started_ms, hint) {
            Some(delay) => {
                telemetry::retry(d.platform, "post");
                tracing::info!(?delay, code = error.code, failures = d.failures, "transient failure; retrying");
                let run_at = self.now_ms() + delay.as_millis() as i64;
                self.store.requeue(d, resume, run_at, Some(error)).await
            }
            None => self.settle(d, Settlement::Failed(error)).await,
        }
    }

    /// For an immediate post's first run (not scheduled, not a `PUT /post/retry`): when the request
    /// that made it stops waiting for the answer. Once that has passed (the caller was told
    /// `pending`, or an approval released the post later) waits are waited out again.
    fn answer_by_ms(&self, post: &PostRecord) -> Option<i64> {
        let wait = self.config.answer_wait?;
        (post.kind != "scheduled" && post.schedule_ms.is_none() && !post.retried).then(|| post.created_ms + wait.as_millis() as i64)
    }

    /// The one pacing point: the wait before the next attempt after `failures` failed ones, counted
    /// from `since_ms` for the policy's deadline, or `None` when automatic retries are over.
    pub(crate) fn next_delay(&self, failures: i64, since_ms: i64, hint: Option<Duration>) -> Option<Duration> {
        let elapsed = Duration::from_millis((self.now_ms() - since_ms).max(0) as u64);
        self.config.retry.next_delay(failures.max(0) as u32, hint, elapsed, self.jitter())
    }

    /// The delivery is `publishing` and an attempt may have landed. Settled only with proof: the
    /// network shows the post (published), or shows none *and* the attempt can no longer land
    /// (then, and only then, it may be sent again). Otherwise it waits, or ends unknown (905).
    async fn settle_doubt(&self, d: &mut DeliveryRecord, run: &Attempt<'_>, why: &str) -> crier_store::Result<()> {
        let unknown = network_error(Code::OutcomeUnknown, d.platform).details(why);
        d.calls.count(Phase::Lookup);
        match telemetry::timed_lookup(d.platform, run.network.reconcile(&run.call, &run.content, &d.step.clone().unwrap_or(Value::Null))).await {
            Reconciled::Published(p) => {
                d.in_doubt = false;
                self.settle_published(d, &p).await
            }
            Reconciled::NoLookup => self.settle(d, Settlement::Unknown(&unknown)).await,
            Reconciled::NotPublished => {
                let window = self.networks.settle_window(run.network).as_millis() as i64;
                let can_land_until = d.publish_started_ms.unwrap_or_else(|| self.now_ms()) + window;
                if self.now_ms() <= can_land_until {
                    // Absent now proves nothing: the request may still be in flight at the network.
                    return self.store.requeue(d, DeliveryState::Publishing, can_land_until + 1, Some(&unknown)).await;
                }
                d.in_doubt = false;
                let name = d.platform.display_name();
                let error = run.network.unavailable(format!("the answer was lost ({why}) and {name} shows no post: nothing was published"));
                self.retry_or_fail(d, run, DeliveryState::Prepared, &error, None).await
            }
            Reconciled::Unknown => {
                d.failures += 1;
                match self.next_delay(d.failures, run.started_ms, None) {
                    Some(delay) => {
                        telemetry::retry(d.platform, "post");
                        tracing::info!(?delay, failures = d.failures, "lookup could not tell; asking again");
                        let at = self.now_ms() + delay.as_millis() as i64;
                        self.store.requeue(d, DeliveryState::Publishing, at, Some(&unknown)).await
                    }
                    None => self.settle(d, Settlement::Unknown(&unknown)).await,
                }
            }
        }
    }

    /// Before the first preparation: images the network refuses in their format are converted and
    /// staged, and the delivery's media URLs recorded (a crash after this does not convert again).
    async fn convert_media(&self, post: &PostRecord, d: &mut DeliveryRecord) -> crier_store::Result<MediaStep> {
        let Some(media) = &self.media else { return Ok(MediaStep::Ready) };
        let content = content_of(post, d);
        let thumbnail = content.options.get("thumbNail").and_then(Value::as_str).filter(|t| !t.is_empty());
        let converted_before = d.media_urls.is_some() || d.thumbnail_url.is_some();
        if d.state != DeliveryState::Queued || converted_before || (post.media_urls.is_empty() && thumbnail.is_none()) {
            return Ok(MediaStep::Ready);
        }
        match media.plan(&self.store, &post.profile_id, d.platform, &post.media_urls, thumbnail, content.is_video).await {
            Ok(MediaPlan { media: None, thumbnail: None }) => Ok(MediaStep::Ready),
            Ok(plan) => {
                if !self.store.save_delivery_media(&d.id, plan.media.as_deref(), plan.thumbnail.as_deref()).await? {
                    return Ok(MediaStep::MovedOn);
                }
                d.media_urls = plan.media;
                d.thumbnail_url = plan.thumbnail;
                Ok(MediaStep::Ready)
            }
            Err(f) => Ok(MediaStep::Failed(f)),
        }
    }

    /// After the network accepted a publish: settle it once live, or persist the acceptance and ask
    /// again later. Nothing here ever sends the post again.
    async fn confirm(&self, d: &mut DeliveryRecord, run: &Attempt<'_>, accepted: Published) -> crier_store::Result<()> {
        d.calls.count(Phase::Confirm);
        let after = match timed(d.platform, Phase::Confirm, run.network.confirm(&run.call, &run.content, &accepted)).await {
            Ok(Confirmed::Done(mut live)) => {
                for (k, v) in &accepted.extras {
                    live.extras.entry(k.clone()).or_insert_with(|| v.clone());
                }
                return self.settle_published(d, &live).await;
            }
            // The network says the accepted post finally failed: nothing is visible.
            Err(Failure::Rejected(e)) => return self.settle(d, Settlement::Failed(&e)).await,
            Ok(Confirmed::Pending { retry_in }) => retry_in,
            Err(Failure::Transient { retry_after, .. }) => retry_after.unwrap_or(Duration::from_secs(5)),
            Err(Failure::Ambiguous { .. }) => Duration::from_secs(5),
        };
        let overdue = self.now_ms() - run.started_ms > self.config.confirm_deadline.as_millis() as i64;
        if overdue {
            let e = network_error(Code::OutcomeUnknown, d.platform)
                .details(format!("{} accepted the post as {} but did not say it went live", d.platform.display_name(), accepted.id));
            return self.settle(d, Settlement::Unknown(&e)).await;
        }
        let extras = (!accepted.extras.is_empty()).then(|| Value::Object(accepted.extras.clone()));
        let at = self.now_ms() + after.as_millis() as i64;
        let acceptance = Settlement::Published { native_id: &accepted.id, url: accepted.url.as_deref(), extras: extras.as_ref() };
        d.in_doubt = false;
        self.store.accept(d, acceptance, at).await?;
        // Callers waiting on the post see it pending for this network.
        let _ = self.settled.send(d.post_id.clone());
        Ok(())
    }

    async fn settle_published(&self, d: &mut DeliveryRecord, p: &Published) -> crier_store::Result<()> {
        d.in_doubt = false;
        let extras = (!p.extras.is_empty()).then(|| Value::Object(p.extras.clone()));
        self.settle(d, Settlement::Published { native_id: &p.id, url: p.url.as_deref(), extras: extras.as_ref() }).await
    }

    /// Settles the delivery. A failure of a delivery still in doubt (an attempt may have landed)
    /// is reported as unknown (905): never as a failure a client could retry into a duplicate.
    async fn settle(&self, d: &DeliveryRecord, how: Settlement<'_>) -> crier_store::Result<()> {
        let doubt;
        let how = match how {
            Settlement::Failed(e) if d.in_doubt => {
                let cause = e.details.clone().unwrap_or_else(|| format!("code {}", e.code));
                doubt = network_error(Code::OutcomeUnknown, d.platform).details(format!("an earlier attempt may have published; then: {cause}"));
                Settlement::Unknown(&doubt)
            }
            other => other,
        };
        let (outcome, code) = match &how {
            Settlement::Published { .. } => ("published", None),
            Settlement::Failed(e) => ("failed", Some(e.code)),
            Settlement::Unknown(e) => ("unknown", Some(e.code)),
        };
        let post_id = self.store.settle(d, how).await?;
        telemetry::settled(d.platform, outcome, code);
        tracing::info!(outcome, code, attempts = d.attempts, failures = d.failures, "delivery settled");
        if d.platform == Platform::Twitter {
            self.forget_byo(&post_id);
        }
        let _ = self.settled.send(post_id);
        Ok(())
    }
}
