//! One delivery's way through its network, one persisted step at a time.

use crate::Engine;
use crate::media_prep::MediaPlan;
use crier_core::request::PostRequest;
use crier_core::{Action, Code, ErrorReport, Platform};
use crier_networks::{Call, Confirmed, Content, Failure, Network, Poll, Published, Reconciled};
use crier_store::{Cap, DeliveryRecord, DeliveryState, PostRecord, PostStatus, PublishStart, Settlement};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// What a step decided: keep going, or stop here (the delivery is persisted either way).
enum Next {
    Continue,
    Stop,
}

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
        tokio::select! {
            result = work => {
                if let Err(e) = result {
                    tracing::error!(delivery = delivery_id, error = %e, "delivery step failed; will resume after the lease");
                }
            }
            _ = heartbeat => {}
        }
    }

    async fn try_process(self: &Arc<Self>, delivery_id: &str) -> crier_store::Result<()> {
        let Some(d) = self.store.delivery(delivery_id).await? else { return Ok(()) };
        let Some(post) = self.store.post_by_id(&d.post_id).await? else { return Ok(()) };
        if d.state.is_settled() {
            return Ok(());
        }
        if post.status == PostStatus::Deleted && !matches!(d.state, DeliveryState::Publishing | DeliveryState::Accepted) {
            return Ok(());
        }
        self.store.mark_processing(&post.id).await?;
        let Some(mut credentials) = self.store.credentials(&post.profile_id, d.platform).await? else {
            return self.settle(&d, Settlement::Failed(&network_error(Code::NotLinked, d.platform))).await;
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
        let mut d = d;
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
        };
        if let Some(f) = media_failure {
            return self.handle_failure(&d, &run, f, DeliveryState::Queued).await;
        }

        if d.state == DeliveryState::Accepted {
            // Sent and accepted earlier: only ask whether it went live.
            let accepted = Published {
                id: d.native_id.clone().unwrap_or_default(),
                url: d.post_url.clone(),
                extras: d.extras.as_ref().and_then(Value::as_object).cloned().unwrap_or_default(),
            };
            return self.confirm(&d, &run, accepted).await;
        }
        if d.state == DeliveryState::Publishing {
            // The previous attempt may have reached the network: ask before anything else.
            return match self.reconcile(&d, &run, "interrupted while publishing").await? {
                Next::Stop => Ok(()),
                // Certainly not published: back to the queue, and the next run sends it.
                Next::Continue => self.store.requeue(&d.id, DeliveryState::Prepared, crier_store::now_ms(), None).await,
            };
        }
        if d.state == DeliveryState::Queued {
            match run.network.prepare(&run.call, &run.content).await {
                Ok(step) => {
                    if !self.store.save_prepared(&d.id, &step).await? {
                        return Ok(());
                    }
                    d.step = Some(step);
                }
                Err(f) => return self.handle_failure(&d, &run, f, DeliveryState::Queued).await,
            }
        }
        let step = d.step.clone().unwrap_or(Value::Null);
        match run.network.poll(&run.call, &run.content, &step).await {
            Ok(Poll::Ready(ready)) => {
                if ready != step && !self.store.save_prepared(&d.id, &ready).await? {
                    return Ok(());
                }
                d.step = Some(ready);
            }
            Ok(Poll::Pending { step: waiting, retry_in }) => {
                if !self.store.save_prepared(&d.id, &waiting).await? {
                    return Ok(());
                }
                let at = crier_store::now_ms() + retry_in.as_millis() as i64;
                return self.store.requeue(&d.id, DeliveryState::Prepared, at, None).await;
            }
            Err(f) => return self.handle_failure(&d, &run, f, DeliveryState::Prepared).await,
        }

        let cap = run.network.publish_cap(run.call.credentials);
        let store_cap = cap.as_ref().map(|c| Cap { key: c.key.clone(), limit: c.limit as i64, window_ms: c.window.as_millis() as i64 });
        let used = match self.store.begin_publish(&d.id, store_cap.as_ref()).await? {
            PublishStart::Started { used } => used,
            PublishStart::NotReady => return Ok(()), // cancelled (post deleted) or taken by another worker
            PublishStart::CapReached { frees_in_ms, .. } => {
                let mut e = cap.map(|c| c.error).unwrap_or_else(|| network_error(Code::NetworkRateLimited, d.platform));
                // Like a Retry-After: seconds until the oldest post leaves the rolling window.
                e.details = Some(((frees_in_ms + 999) / 1000).to_string());
                return self.settle(&d, Settlement::Failed(&e)).await;
            }
        };
        d.attempts += 1;
        let step = d.step.clone().unwrap_or(Value::Null);
        match run.network.publish(&run.call, &run.content, &step).await {
            Ok(mut p) => {
                if let Some(n) = used {
                    p.extras.insert("usedQuota".into(), n.into());
                }
                self.confirm(&d, &run, p).await
            }
            Err(f) => {
                if used.is_some() && !matches!(f, Failure::Ambiguous { .. }) {
                    // Certainly not published: the slot was not used.
                    self.store.release_cap_slot(&d.id).await?;
                }
                self.handle_failure(&d, &run, f, DeliveryState::Prepared).await
            }
        }
    }

    async fn handle_failure(&self, d: &DeliveryRecord, run: &Attempt<'_>, failure: Failure, resume: DeliveryState) -> crier_store::Result<()> {
        match failure {
            Failure::Rejected(e) => self.settle(d, Settlement::Failed(&e)).await,
            Failure::Transient { error, retry_after } => {
                let elapsed = Duration::from_millis((crier_store::now_ms() - run.started_ms).max(0) as u64);
                match self.config.retry.next_delay(d.attempts.max(1) as u32, retry_after, elapsed) {
                    Some(delay) => {
                        tracing::info!(delivery = %d.id, ?delay, code = error.code, "transient failure; retrying");
                        let run_at = crier_store::now_ms() + delay.as_millis() as i64;
                        self.store.requeue(&d.id, resume, run_at, Some(&error)).await
                    }
                    None => self.settle(d, Settlement::Failed(&error)).await,
                }
            }
            Failure::Ambiguous { details } => match self.reconcile(d, run, &details).await? {
                Next::Stop => Ok(()),
                // Certainly not published: another attempt cannot duplicate.
                Next::Continue => self.store.requeue(&d.id, DeliveryState::Prepared, crier_store::now_ms(), None).await,
            },
        }
    }

    /// Settles a delivery whose publish may have landed. `Continue` means: certainly not published.
    async fn reconcile(&self, d: &DeliveryRecord, run: &Attempt<'_>, why: &str) -> crier_store::Result<Next> {
        let step = d.step.clone().unwrap_or(Value::Null);
        match run.network.reconcile(&run.call, &run.content, &step).await {
            Reconciled::Published(p) => {
                self.settle_published(d, &p).await?;
                Ok(Next::Stop)
            }
            Reconciled::NotPublished => Ok(Next::Continue),
            Reconciled::Unknown => {
                let e = network_error(Code::OutcomeUnknown, d.platform).details(why);
                self.settle(d, Settlement::Unknown(&e)).await?;
                Ok(Next::Stop)
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
    async fn confirm(&self, d: &DeliveryRecord, run: &Attempt<'_>, accepted: Published) -> crier_store::Result<()> {
        let ask_again = |after: Duration| {
            let extras = (!accepted.extras.is_empty()).then(|| Value::Object(accepted.extras.clone()));
            let at = crier_store::now_ms() + after.as_millis() as i64;
            (extras, at)
        };
        let after = match run.network.confirm(&run.call, &run.content, &accepted).await {
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
        let overdue = crier_store::now_ms() - run.started_ms > self.config.confirm_deadline.as_millis() as i64;
        if overdue {
            let e = network_error(Code::OutcomeUnknown, d.platform)
                .details(format!("{} accepted the post as {} but did not say it went live", d.platform.display_name(), accepted.id));
            return self.settle(d, Settlement::Unknown(&e)).await;
        }
        let (extras, at) = ask_again(after);
        let acceptance = Settlement::Published { native_id: &accepted.id, url: accepted.url.as_deref(), extras: extras.as_ref() };
        self.store.accept(&d.id, acceptance, at).await?;
        // Callers waiting on the post see it pending for this network.
        let _ = self.settled.send(d.post_id.clone());
        Ok(())
    }

    async fn settle_published(&self, d: &DeliveryRecord, p: &Published) -> crier_store::Result<()> {
        let extras = (!p.extras.is_empty()).then(|| Value::Object(p.extras.clone()));
        self.settle(d, Settlement::Published { native_id: &p.id, url: p.url.as_deref(), extras: extras.as_ref() }).await
    }

    async fn settle(&self, d: &DeliveryRecord, how: Settlement<'_>) -> crier_store::Result<()> {
        let post_id = self.store.settle(&d.id, how).await?;
        if d.platform == Platform::Twitter {
            self.forget_byo(&post_id);
        }
        let _ = self.settled.send(post_id);
        Ok(())
    }
}
