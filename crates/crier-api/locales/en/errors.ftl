# crier error messages (English, the reference language).
# One message per catalog code: err-<code>. Variables available where noted:
#   $network  the network's display name (e.g. "Bluesky")
#   $limit, $overage (132); $max, $count (182); $missing, $count (419); $field (901); $platforms (902)
# `details` is never translated; only these messages are.

err-102 = Your API key is missing or not valid. Send it as "Authorization: Bearer <API key>".
err-107 = Facebook rejected the post. See the details for Facebook's reason.
err-110 = X rejected the post because it is a duplicate of a recent post.
err-111 = This X account cannot publish long posts. Shorten the text to 280 characters or enable long posts for the account.
err-132 = The text is too long for { $network }: the limit is { $limit } characters and it is { $overage } over.
err-136 = A media URL is not valid for { $network }. Media URLs must be complete https addresses.
err-137 = The same text was already posted to { $network } in the last 48 hours.
err-138 = Instagram could not publish the post. See the details for Instagram's reason.
err-156 = { $network } is not linked to this profile. Link the account, then post again.
err-161 = The Facebook authorization is no longer valid (for example the password changed or access was removed). Link Facebook again.
err-182 = The media does not meet { $network }'s rules (count, size, aspect ratio or duration).
err-186 = No post with this id was found for this profile.
err-272 = X could not verify the account behind your keys: it may be suspended or locked, or your keys belong to another X app than the linked account. Check the account on x.com.
err-379 = Threads could not publish the post. Check that the media can be downloaded by Meta.
err-416 = Your X developer account has no API credits left. Add credits, then try again.
err-418 = Your X access token is read-only. Give your X app read and write permission and create a new access token.
err-419 = { $count ->
        [one] X posts need your own API keys: the header { $missing } is missing.
       *[other] X posts need your own API keys: the headers { $missing } are missing.
    }
err-435 = { $cause ->
    [meta] Meta is rate-limiting Instagram publishing for this account (HTTP 429). Wait before posting again; the seconds Meta asked for are in details.
    [velocity] Instagram blocked the post because the account is publishing too fast. Wait before posting again.
    [daily] Meta's daily Instagram publishing limit for this account was reached. Wait before posting again.
    [limit] The Instagram publishing limit of { $limit } posts per 24 hours was reached. Wait before posting again; the seconds until a slot frees are in details.
   *[other] The Instagram publishing limit was reached. Wait before posting again.
}
err-436 = Instagram took too long to process the media. You can retry the post.
err-440 = { $network } could not download the media from its URL. Make sure the address is public and does not block crawlers.
err-441 = Improving the text (for example shortening links) failed for { $network }, so nothing was sent to { $network }.
err-444 = Facebook is limiting analytics requests for this Page. Publishing still works; try the analytics again later.
err-447 = A trial reel needs a graduation strategy: set graduationStrategy to MANUAL or SS_PERFORMANCE.
err-448 = The graduation strategy of the trial reel is not valid: use exactly MANUAL or SS_PERFORMANCE.
err-449 = The media cannot be used for a trial reel: it must be a single .mp4 or .mov video, not a carousel or a story.
err-450 = The image could not be converted to JPEG for { $network }. Export it again as JPEG or PNG and retry.
err-451 = The image could not be downloaded for conversion. Make sure the address is public and reachable.
err-452 = The converted image could not be stored temporarily. This is a temporary problem; you can retry the post.
err-453 = The YouTube upload timed out. This is usually temporary; you can retry the post.
err-454 = The YouTube upload service is temporarily unavailable. You can retry the post.
err-900 = The request is malformed: the body is not valid JSON or a field has the wrong type.
err-901 = A required field is missing: { $field }.
err-902 = The list of networks is empty or contains a network that is not supported.
err-903 = Too many requests. Wait a moment, then try again.
err-904 = This profile key does not belong to your account.
err-905 = It is not known whether { $network } published the post. Check the account before posting again, so the post is not published twice.
err-906 = This post cannot be retried: it has no failure that can be retried, or it was already retried.
err-907 = This idempotency key was already used for a different request.
err-908 = The { $network } authorization has expired or was revoked. Link the account again.
err-909 = { $network } is limiting requests right now. Wait before posting again.
err-910 = { $network } is temporarily unavailable. You can retry the post.
err-911 = An internal error occurred. Please try again later.
err-912 = This endpoint does not exist.
err-913 = A profile with this title already exists.
err-914 = No profile with this key was found.
err-915 = { $network } refused the post. See the details for the reason.
err-916 = The schedule date is not valid. Use an ISO 8601 date such as 2026-07-08T12:30:00Z.
err-917 = { $network } does not allow published posts to be deleted through its API.
err-918 = The post was deleted before it was sent to { $network }; nothing was published.
err-919 = No short link with this id was found.
err-920 = crier does not offer this endpoint yet.
err-921 = This post can no longer be changed: only a scheduled post that has not been sent can be updated.
err-922 = No media with this id was found, or it has expired.
err-923 = { $network } allows only { $limit } posts per day for this account, and that limit was reached. Wait before posting again.
err-924 = This endpoint does not accept this HTTP method. The Allow header lists the methods it accepts.
