// Hand-written half of docs/functions.md: what each deployed function takes and does. The inventory half
// (kind, trigger, region, secrets) comes from the built endpoints; a function missing here, or a description of a
// function that no longer exists, fails `npm run docs` and the unit test.
export interface FunctionDescription {
  /** What starts it and what it reads as input (callables: the request data; see the linked JSON Schema). */
  inputs: string;
  /** Documents written, and other effects (Stripe, FCM, tasks). */
  effects: string;
  /** What makes a redelivery or a retry harmless. */
  idempotency: string;
  /** Settings read besides MAX_INSTANCES (every function has it): firebase-functions params or plain env values. */
  params?: string[];
  /** Callables: the result. */
  returns?: string;
}

export const FUNCTION_DESCRIPTIONS: Record<string, FunctionDescription> = {
  onBookingWritten: {
    inputs: "`bookings/{bookingId}` written (created, a status move, any update): the one trigger of the path",
    effects: "runs the steps of `pipeline/bookingWritten.ts` in order (confirmation, status change, payments, dispatch, chat, ETA; table \"Which write runs which function\" below); server moves go through the one transition writer (`bookings/transition.ts`)",
    idempotency: "each step: `processOnce` markers, transactions re-checking the current state, deterministic event/task ids, Stripe idempotency keys; a failed step fails the invocation after the others ran (`retry: true`); events older than 1 h are dropped (the recovery sweep takes over)",
    params: ["SCHEDULED_DISPATCH_LEAD_MINUTES", "BOOKING_RATE_LIMIT_MAX", "CANCELLATION_GRACE_SECONDS", "SCHEDULED_FREE_CANCEL_CUTOFF_MINUTES", "CHAT_READONLY_AFTER_MINUTES", "ETA_REFRESH_SECONDS", "SHARE_REFRESH_SECONDS", "SAVE_CARD_AHEAD_HOURS"],
  },
  onBookingEventCreated: {
    inputs: "each `bookings/{id}/events/{eventId}` (the audit trail): the one trigger of the path",
    effects: "notifications (inbox, FCM push, `mail`/`messages` for the extensions, `deferredNotifications` in quiet hours), then analytics (`driverStats`, `analyticsDaily` via `analyticsBookings`)",
    idempotency: "`notificationKeys/{event, user, channel}`; `processOnce(analytics-offer | analytics-booking, <bookingId>/<eventId>)`; `retry: true`",
    params: ["BUSINESS_TIME_ZONE"],
  },
  onDriverWritten: {
    inputs: "`drivers/{uid}` written (approval, suspension, status, vehicle): the one trigger of the path",
    effects: "approval grants the driver role (revocation removes it); a suspended/unapproved driver goes `offline` and loses pending offers; `status` and the vehicle's category mirrored into `driverLocations/{uid}`; online time in `driverStats`",
    idempotency: "each step re-reads the current state; `processOnce(analytics-online, event.id)`; `retry: true`",
    params: ["BUSINESS_TIME_ZONE"],
  },
  acceptOffer: {
    inputs: "`{bookingId}` by the offered driver (role `driver`)",
    effects: "one transaction: booking `accepted` with `driverId`, `vehicleId`, `driverSummary` and one `driver_assigned` event; `drivers/{uid}` busy; `driverLocations/{uid}.riderId`; the offer resolved, the other offers `taken`",
    idempotency: "the offer's `resolvedAt`: a repeated call answers the same outcome",
    returns: "`{outcome}`: `assigned` | `taken` | `expired` | `unavailable`",
  },
  proposeTripChange: {
    inputs: "`{bookingId, dropoff, stops[]}` by the booking's rider (scheduled, accepted, arrived or in_progress; not hourly)",
    effects: "routes and prices the changed trip with the config in force (on board: from the pickup through the driver's last position); writes the proposal `bookings/{id}/changes/{changeId}`; the booking is not touched",
    idempotency: "none needed: each call is a new proposal (rate-limited, 10 a minute)",
    returns: "`{changeId, estimateMinor, previousEstimateMinor, currency, breakdown, distanceMeters, durationSeconds, expiresAt}`",
  },
  confirmTripChange: {
    inputs: "`{bookingId, changeId}` by the booking's rider, within 5 minutes, the booking still in the status and route version it was priced on",
    effects: "one transaction: the booking's `dropoff`, `stops`, `fare.estimateMinor`, `fare.breakdown`, `fare.maxMinor`, `route`, `routeVersion` + 1; the proposal `applied`; one `trip_changed` audit event (the driver is notified)",
    idempotency: "an applied proposal answers the same again; the event id is the route version",
    returns: "`{outcome: \"applied\", estimateMinor, routeVersion}`",
  },
  extendHire: {
    inputs: "`{bookingId, hours}` (the new total) by the hourly hire's rider (scheduled, accepted, arrived or in_progress)",
    effects: "re-prices the whole hire as it was quoted (pickup time, routed distance); raises the card hold on the same intent (a declined increment refuses the extension); one transaction: the booking's `hours`, `fare.estimateMinor`, `fare.breakdown`, `fare.maxMinor`, one `hire_extended` event (the driver is notified)",
    idempotency: "the input is the new total: the same total again changes nothing; the hold increment's idempotency key names the amount",
    returns: "`{outcome: \"extended\", hours, estimateMinor, currency, hold}`",
  },
  earningsOnTipWritten: {
    inputs: "`tips/{bookingId}` written (payments/tips.ts, the one writer of tips)",
    effects: "once the tip is `succeeded`: a `tip` entry (100 % of it) in the driver's ledger `earnings/{uid}/entries/tip-{bookingId}` and its transfer record, settled on the tip's own charge when the driver's Connect account is ready",
    idempotency: "entry and transfer ids derive from the booking; the transfer's Stripe key names (driver, source, attempt); `retry: true`",
  },
  recoverStrandedBookings: {
    inputs: "every 2 minutes",
    effects: "bookings past a per-state deadline (`requested` 2 min, `awaiting_payment` 5 min then `payment_failed` at 30 min, `scheduled` past its start, `searching` past the search budget, `completed`/`delivery_failed`/`cancelled`/`no_drivers` with a fare or payment still open): the owed step re-run, with a `recovered` audit event",
    idempotency: "every re-run step is itself idempotent; one event per stranded episode (its id names the action, the status and when the booking entered it)",
  },
  deliveryProofOnUploadFinalized: {
    inputs: "a file under `deliveries/{bookingId}/{name}` in Storage (storage.rules: the assigned driver of the in-progress delivery, JPEG/PNG/WebP ≤ 5 MiB)",
    effects: "reads the file's first bytes: a JPEG, PNG or WebP matching its declared type, on a delivery still `in_progress`, becomes `bookings/{id}.proof.photo {path, contentType, sizeBytes, verifiedAt}` with a `proof_verified` audit event; anything else is deleted and never counts",
    idempotency: "a transaction on the booking's current state; the audit event id derives from the path; the delete ignores a missing file",
  },
  onHealthCheckCreated: {
    inputs: "a client's `healthChecks/{checkId}` {requestedBy, requestedAt}",
    effects: "answers on the same document: `respondedAt`, `latencyMs`, `region`",
    idempotency: "`processOnce(healthCheck, event.id)` (marker in `processedEvents`)",
  },
  ping: {
    inputs: "`{echo?}`, any caller (signed in or not)",
    effects: "none",
    idempotency: "read-only",
    returns: "`{ok: true, uid, echo, serverTime}` (`uid`, `echo` null when absent; `serverTime` ISO 8601)",
  },
  deleteAccount: {
    inputs: "`{}` from a user signed in within the last five minutes",
    effects: "deletes `users/{uid}` (with devices, notifications, saved places), strips `drivers/{uid}` personal fields (`deletedAt`), retires the user's vehicles, deletes `driverLocations/{uid}` and Storage `users/{uid}/…`, then the Auth user",
    idempotency: "each step tolerates an already-deleted target; `onAuthUserDeleted` repeats the clean-up",
    returns: "`{deleted: true}`",
  },
  onAuthUserDeleted: {
    inputs: "an Auth user deleted (console, Admin SDK or deleteAccount)",
    effects: "same clean-up as deleteAccount (`deleteUserData`)",
    idempotency: "deletes are idempotent; `deletedAt` keeps its first value",
  },
  onUserRoleWritten: {
    inputs: "`users/{uid}` written with a changed `role` (admins, in the console)",
    effects: "sets the `role` custom claim (absent = rider) and revokes refresh tokens so the new claim applies",
    idempotency: "reads the current document and claim; no change → no write",
  },
  setUserRole: {
    inputs: "`{uid, role}`, admins only",
    effects: "writes `users/{uid}.role`; `onUserRoleWritten` mirrors it into the claim",
    idempotency: "setting the same role again changes nothing",
    returns: "`{uid, role}`",
  },

  onVehicleWritten: {
    inputs: "`vehicles/{vehicleId}` written with a changed `status`",
    effects: "appends `vehicles/{id}/statusHistory/{eventId}`; a vehicle leaving `active` takes its available driver `offline`",
    idempotency: "history entry id = event id (`create` fails on a replay)",
  },
  onPricingConfigWritten: {
    inputs: "`pricing/{serviceType}` edited by an admin",
    effects: "writes `validation {ok, errors[], checkedAt, configHash, activeVersion}`; a valid config becomes `pricingActive/{serviceType}` and `pricing/{serviceType}/versions/{n}`",
    idempotency: "`processOnce(pricingValidation, event.id)`; an unchanged config hash activates nothing",
  },
  onServiceAreasWritten: {
    inputs: "`serviceAreas/{serviceType}` edited by an admin",
    effects: "writes `validation {ok, errors[], checkedAt, configHash, activeVersion}` (zod + Turf polygon checks); a valid config becomes `serviceAreasActive/{serviceType}` and `serviceAreas/{serviceType}/versions/{n}`",
    idempotency: "`processOnce(serviceAreasValidation, event.id)`; an unchanged config hash activates nothing",
  },
  nearbyCars: {
    inputs: "`{pickup, serviceType, categoryId}` by a signed-in user (rate-limited 12/min per user)",
    effects: "none (reads `driverLocations` per grid cell around the pickup; counts the call in `rateLimits/nearbyCars__{uid}`)",
    idempotency: "read-only",
    returns: "`{cars: \"0\" | \"1-2\" | \"3-5\" | \"6+\", etaMinutes (≥ 2) | null, inServiceArea}`: coarse by design, never a position",
  },
  quoteFare: {
    inputs: "the quote request (signed-in riders; rate-limited 20/min per user)",
    effects: "writes `quotes/{quoteId}` (TTL `purgeAt`) and a `rateLimits` counter; Distance Matrix when `MAPS_API_KEY` is set",
    idempotency: "each call is a new quote; a quote is booked at most once (`bookingId`)",
    params: ["BUSINESS_TIME_ZONE", "MAPS_BASE_URL"],
    returns: "`{quoteId, amountMinor, currency, breakdown[{code, label, amountMinor}], distanceMeters, durationSeconds, expiresAt, estimated, pricingVersion}` (`expiresAt` ISO 8601)",
  },
  optimizeRoute: {
    inputs: "the route request (signed-in users; rate-limited 10/min per user)",
    effects: "a `rateLimits` counter; Distance Matrix when `MAPS_API_KEY` is set, else the offline estimate",
    idempotency: "pure computation",
    params: ["MAPS_BASE_URL"],
    returns: "`{order[], distanceMeters, durationSeconds, legs[], source, estimated, method}`",
  },


  startScheduledBooking: {
    inputs: "task `{bookingId}` at `scheduledAt` − lead time",
    effects: "a still-`scheduled` booking → `searching` (cash) or `awaiting_payment` (card: authorised off-session there when its card was saved at booking, else confirmed by the app); an early task throws and is retried",
    idempotency: "acts only on `scheduled`; task id `start-<bookingId>` is enqueued once",
  },

  dispatchOnOfferAnswer: {
    inputs: "an offered driver sets `offers/{driverUid}.status` to `accepted` (an app offline at the time; online apps call `acceptOffer`) or `declined`",
    effects: "acceptance (one transaction): booking `accepted` + `driverId`/`vehicleId`, `drivers/{uid}.status = busy`, `driverLocations/{uid}.riderId`, the other offers `taken`; a decline may start the next round",
    idempotency: "only a `pending` → answer change acts; the offer's `resolvedAt` makes replays no-ops",
  },
  dispatchRoundTimer: {
    inputs: "task `{bookingId, attempt, round, dueAtMillis}` when a round's offers expire",
    effects: "expires the round's pending offers, then offers the next candidates or sets `no_drivers`",
    idempotency: "ignored unless the job is still on that attempt and round",
  },

  refreshEtaTask: {
    inputs: "task `{bookingId, dueAtMillis}` every `ETA_REFRESH_SECONDS` (30) while a booking is `accepted` (started by `onBookingWritten`)",
    effects: "updates `bookings/{id}.eta {pickupSeconds, updatedAt}` and queues the next refresh",
    idempotency: "task id `eta-<bookingId>-<slot>`; stops once the booking leaves `accepted`",
    params: ["ETA_REFRESH_SECONDS"],
  },
  createTripShare: {
    inputs: "`{bookingId}` by the booking's rider, while the trip has not ended (at most 5 links in force)",
    effects: "one transaction: the grant `bookings/{id}/shares/{token}` and the public view `tripShares/{token}` (driver's first name, vehicle, plate, position, ETA, status); with a driver assigned, queues `refreshTripShareTask`",
    idempotency: "a new random token per call (256 bits); a refused call writes nothing",
    returns: "`{token, activeShares}`",
  },
  revokeTripShare: {
    inputs: "`{bookingId, token}` by the rider who made the link",
    effects: "deletes `tripShares/{token}`; the grant gets `active: false`, `revokedAt`",
    idempotency: "a second call finds the grant inactive and answers `revoked: false`",
    returns: "`{revoked}`",
  },
  refreshTripShareTask: {
    inputs: "task `{bookingId, dueAtMillis}` every `SHARE_REFRESH_SECONDS` (10) while a shared trip has a driver (queued by `createTripShare` and the `safety.tripShares` step)",
    effects: "rewrites each `tripShares/{token}` in force of the trip from the booking and `driverLocations/{driverId}`; deletes them once the trip ended; queues the next run",
    idempotency: "task id `share-<bookingId>-<slot>` (chains merge); stops with no link in force, a trip without a driver, or `SHARE_REFRESH_MAX_MINUTES` after the assignment",
    params: ["SHARE_REFRESH_SECONDS", "SHARE_REFRESH_MAX_MINUTES"],
  },
  raiseSos: {
    inputs: "`{bookingId, position?}` by the booking's rider or driver while it is `accepted`, `arrived` or `in_progress`",
    effects: "one transaction: `incidents/{bookingId}_{uid}` (status `open`, the trip, the driver's last position, the last 20 recorded points, the raiser's reported position) and its audit event `incidents/{id}/events/raised-<n>`",
    idempotency: "deterministic incident id: a press while it is open changes nothing (`created: false`); a press after it was closed reopens it",
    returns: "`{incidentId, created, status: \"open\"}`",
  },
  closeIncident: {
    inputs: "`{incidentId, resolution}` by an admin",
    effects: "the incident `closed` with `closedAt`, `closedBy`, `resolution`; audit event `incidents/{id}/events/closed-<n>`",
    idempotency: "a closed incident answers `alreadyClosed: true` and writes nothing",
    returns: "`{status: \"closed\", alreadyClosed}`",
  },
  onIncidentWritten: {
    inputs: "`incidents/{incidentId}` written",
    effects: "an incident that (re)opened: every admin (`users` with `role: admin`) is notified at once, inbox + push + SMS (`messages`), whatever their preferences and quiet hours",
    idempotency: "`notificationKeys` per (`sos-<incidentId>-<openCount>`, admin, channel); `retry: true`",
  },
  sweepStaleDrivers: {
    inputs: "every minute",
    effects: "`available` drivers with no position or status change for `DRIVER_STALE_MINUTES` → `offline` (drivers and driverLocations); `busy` drivers never",
    idempotency: "each driver re-checked in its own transaction",
    params: ["DRIVER_STALE_MINUTES"],
  },
  confirmCashCollected: {
    inputs: "`{bookingId}` by the booking's driver, after `completed`, cash bookings",
    effects: "`payments/{bookingId}` `captured` with `collectedBy`",
    idempotency: "an already captured payment is returned as is",
    returns: "`{status, amountCapturedMinor}`",
  },

  refundPayment: {
    inputs: "`{bookingId, amountMinor?, reason}`, admins only",
    effects: "Stripe refund; `payments/{bookingId}/refunds/{refundId}`, amounts and status on `payments/{bookingId}`",
    idempotency: "Stripe key `refund-<bookingId>-<refundedSoFar>-<amount>`",
    returns: "`{refundId, amountMinor, amountRefundedMinor, status}`",
  },
  tipDriver: {
    inputs: "`{bookingId, amountMinor}` by the trip's rider, `completed` within `TIP_WINDOW_HOURS` (paymentSettings/tips.windowHours), at least 50 and at most the admin's cap (paymentSettings/tips), once per trip",
    effects: "card trips: charged off-session on the trip's card; cash trips (or a card the bank wants confirmed): an intent the app confirms (client secret in `payments/{bookingId}/private/client.tip`); `tips/{bookingId}` (100 % to the driver), `payments/{bookingId}.tip`; once charged, the receipt `receipts/tip-{bookingId}` in the receipt number series",
    idempotency: "Stripe key `tip-<bookingId>`; `tips/{bookingId}` created once (the same amount again resumes the uncharged tip; anything else is refused)",
    returns: "`{bookingId, amountMinor, currency, status, clientSecret, failureReason, receiptId, receiptNumberText}`",
    params: ["TIP_WINDOW_HOURS"],
  },
  reviewFare: {
    inputs: "`{bookingId, decision: approve|decline, note}`, admins only; the booking's `fare.review` must be pending",
    effects: "approve: the recorded excess above the cap charged off-session on the trip's card (`payments/{bookingId}.reviewCharge`); either way `fare.review {status, chargedMinor, decidedBy, decidedAt, note}`",
    idempotency: "Stripe key `review-<bookingId>`; a repeated decision returns the stored one",
    returns: "`{status, chargedMinor}`",
  },
  stripeWebhook: {
    inputs: "Stripe events (`payment_intent.*`, `setup_intent.*`, `charge.refunded`, …), signature-verified with `STRIPE_WEBHOOK_SECRET` (Connect events: or `STRIPE_CONNECT_WEBHOOK_SECRET`)",
    effects: "`payments/{bookingId}` (forward-only merge; `setup` for a saved card), booking `searching`/`payment_failed`, tips (`metadata.kind: tip`): `tips/{bookingId}` and the tip receipt; `stripeEvents/{eventId}`",
    idempotency: "`stripeEvents/{event.id}` marker; a non-2xx answer makes Stripe retry",
    params: ["STRIPE_API_HOST", "STRIPE_API_PORT", "STRIPE_API_PROTOCOL"],
  },
  chatHousekeeping: {
    inputs: "every 15 minutes",
    effects: "closes chats whose `closesAt` passed (`closedAt`); after `CHAT_RETENTION_DAYS` deletes messages and files and anonymises the chat (`anonymisedAt`)",
    idempotency: "queries only open-and-due / closed-not-anonymised chats",
    params: ["CHAT_RETENTION_DAYS"],
  },

  chatOnMessageCreated: {
    inputs: "a participant's `chats/{chatId}/messages/{messageId}`",
    effects: "counts the sender's `sendWindow` (20 a minute; beyond it the message moves to `rejectedMessages`); `lastMessage`, `unread` of the others on `chats/{chatId}`; a chat notification to those not notified within `CHAT_NOTIFY_COALESCE_SECONDS` (`notifiedAt`)",
    idempotency: "`processOnce(chatMessage, event.id)`",
    params: ["CHAT_NOTIFY_COALESCE_SECONDS"],
  },
  chatOnUploadFinalized: {
    inputs: "a file under `chats/{chatId}/{messageId}/{name}` in Storage",
    effects: "keeps a file its message describes (path, size, contentType); no message yet → a `verifyChatUploadTask` after `CHAT_ORPHAN_GRACE_SECONDS`; a mismatch → the file is deleted",
    idempotency: "the check is read-only until a delete, which ignores a missing file",
    params: ["CHAT_ORPHAN_GRACE_SECONDS"],
  },
  joinChat: {
    inputs: "`{chatId}`, admins (support staff)",
    effects: "adds the caller to `chats/{chatId}.participants` (not a closed chat)",
    idempotency: "already a participant → unchanged",
    returns: "`{chatId, participants}`",
  },
  verifyChatUploadTask: {
    inputs: "task `{name, bucket, size, contentType}` after the orphan grace period",
    effects: "deletes the file unless a message now describes it",
    idempotency: "delete ignores a missing file",
  },

  sendDeferredNotifications: {
    inputs: "every 5 minutes",
    effects: "sends due `deferredNotifications` (push/SMS after quiet hours) and deletes them",
    idempotency: "each deferred document is claimed in a transaction before sending",
  },

  onRatingCreated: {
    inputs: "`bookings/{id}/ratings/{raterUid}`",
    effects: "the rider's rating of the driver updates `drivers/{uid}.rating` and `driverStats`; the driver's rating updates the rider's `users/{uid}.rating`",
    idempotency: "`processOnce(analytics-rating, <bookingId>/<raterUid>)`",
    params: ["BUSINESS_TIME_ZONE"],
  },

  getReport: {
    inputs: "`{kind, from, to}`, admins only",
    effects: "writes `reports/{reportId}` (rows and CSV)",
    idempotency: "each call is a new report",
    returns: "`{reportId, kind, from, to, columns[], rows[], docsRead}`: each row has exactly the kind's columns",
  },
  startDriverOnboarding: {
    inputs: "`{}` by a driver (role claim)",
    effects: "the driver's Stripe Connect Express account (once): `driverAccounts/{uid}` (status), `stripeAccounts/{accountId}`; a new Account Link",
    idempotency: "Stripe key `connect-account-<uid>` and a transaction on `driverAccounts/{uid}`; each call a fresh link",
    params: ["STRIPE_API_HOST", "STRIPE_API_PORT", "STRIPE_API_PROTOCOL"],
    returns: "`{accountId, url, expiresAt, status {ready, chargesEnabled, payoutsEnabled, detailsSubmitted, currentlyDue[], pastDue[], disabledReason}}`",
  },
  getEarnings: {
    inputs: "`{weekId?, driverId?}`: a driver (own earnings); an admin (anyone's, with driverId)",
    effects: "none (reads `earnings/{uid}`, its entries, transfers and payouts, `driverAccounts/{uid}`)",
    idempotency: "read only",
    params: ["BUSINESS_TIME_ZONE"],
    returns: "`{driverId, currency, balanceMinor, pendingTransferMinor, inAccountMinor, owedToPlatformMinor, account, week {weekId, from, to, totals, netMinor, trips[]}, payouts[]}`",
  },
  payDrivers: {
    inputs: "daily at 06:00 Lisbon",
    effects: "a Stripe payout of each ready account's available balance; `payout-<id>` ledger entry and `earnings/{uid}/payouts/{id}`",
    idempotency: "Stripe key `payout-<uid>-<entryCount>-<transferredMinor>` (the same ledger state makes the same payout)",
    params: ["STRIPE_API_HOST", "STRIPE_API_PORT", "STRIPE_API_PROTOCOL"],
  },
  reconcileEarningsNightly: {
    inputs: "daily at 04:15 Lisbon",
    effects: "`earningsReconciliations/{day}`: every difference between the drivers' ledgers and Stripe's balance transactions (transfers, payouts, unknown transfers) and between each summary and its entries",
    idempotency: "re-running rewrites the day's report",
    params: ["BUSINESS_TIME_ZONE", "STRIPE_API_HOST", "STRIPE_API_PORT", "STRIPE_API_PROTOCOL"],
  },
  weeklyEarningsStatements: {
    inputs: "Mondays at 05:00 Lisbon",
    effects: "`earnings/{uid}/statements/{weekId}` (lines, totals, opening/closing balance, CSV) for last week, for every driver whose ledger moved",
    idempotency: "rebuilt from the entries: re-running rewrites the same statement",
    params: ["BUSINESS_TIME_ZONE"],
  },
  closeAnalyticsDay: {
    inputs: "daily at 03:30 Lisbon",
    effects: "closes yesterday's `analyticsDaily/{day}` (`closedAt`, `summary`) and writes `reconciliation` against the raw bookings and payments",
    idempotency: "re-running recomputes the same day",
    params: ["BUSINESS_TIME_ZONE"],
  },
  fleetOnPlanWritten: {
    inputs: "`deliveryPlans/{planId}` written with `status: requested` and a revision newer than `plannedRevision`",
    effects: "reads the linked delivery bookings (drop-off, pickup, parcel) and `citySpeedProfiles/{city}`, solves the plan (VRPTW, `routing/vrptw`, time-dependent travel from the profile) over the travel matrix and writes one `deliveryRoutes/{planId}__{driverId}` per van (stops arrived at or done kept first), `deliveryBookingClaims/{bookingId}` and the booking's `plannedBy {planId, orderId}` for the bookings on routes (both released when no longer planned; card bookings are not planned), then `status: planned`, `plannedRevision`, `result` (or `status: invalid` with `issues`)",
    idempotency: "the writes commit in one transaction only if the revision, the stops arrived at or done and the linked bookings' verdicts are still those solved for; a plan already planned at its revision is skipped",
  },
  completeDeliveryStop: {
    inputs: "`{planId, orderId, step?: arrived | done}`, the route's driver only, the route's current stop only (the first not done)",
    effects: "records `arrivedAt` (status `arrived`) or `doneAt` and `outcome` (status `done`) on `deliveryRoutes/{planId}__{uid}`, after the checks of `fleet/stopOutcome.ts`. A booking-linked stop is a delivery: `arrived` needs its booking still `scheduled`, cash and claimed by this plan for this stop, and moves it `scheduled → in_progress` (the fleet row of the state machine) assigned to the caller (`driverId`, `vehicleId`, `driverSummary`, `plannedBy`; the driver `busy` if they were `available`); `done` needs that booking `completed` (outcome `delivered`) or `delivery_failed` (`failed`)",
    idempotency: "repeating a step already recorded returns its first times; anything refused writes nothing",
    returns: "`{planId, orderId, status, arrivedAt, doneAt, outcome}`",
  },
};
