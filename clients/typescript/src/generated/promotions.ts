// Generated from openapi/promotions.yaml by openapi-typescript: do not edit.
// Regenerate with `npm run client:generate`; `npm run client:check` fails on drift.

export interface paths {
    "/v2/promotions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a promotion enrollment
         * @description Enrolls an account into an existing promotion.
         *
         *     Endpoint available to Partners only.
         *     The request must be authenticated by an [access
         *     token](https://docs.zapier.com/powered-by-zapier/api-reference/authentication#retrieving-a-user-access-token)
         *     that the user has granted to the Partner for the account.
         *
         *     The `enrollment_id`, returned after successfully enrolling a user,
         *     **must** be stored by the partner in order to
         *     [retrieve](https://docs.zapier.com/powered-by-zapier/api-reference/promotions/get-enrollment)
         *     or
         *     [delete](https://docs.zapier.com/powered-by-zapier/api-reference/promotions/delete-enrollment)
         *     the enrollment.
         *
         *     The user access token may travel in the `Authorization: Bearer` header, or in
         *     the body as `user_access_token` (with the partner's app token, or nothing, in
         *     the header). A token in the body wins.
         *
         *     #### OAuth
         *
         *     This endpoint requires the `promotions:write` OAuth scope.
         *
         *     #### Idempotency
         *
         *     Send an `Idempotency-Key` header to retry safely. Keys are scoped to the partner
         *     and kept for 24 hours. A retry with the same key and the same body replays the
         *     first response (same status, same body). The same key with a different body
         *     answers 422 `idempotency_key_reused`; the same key while the first request is
         *     still running answers 409 `idempotency_key_in_use`.
         *
         *     "Same request" means the same authenticated account and the same JSON body
         *     (compared after sorting keys; a `user_access_token` in the body is
         *     authentication, not content, so a retry with a refreshed token replays). 201
         *     and 4xx answers are replayed, with their `Location`, and carry
         *     `Idempotent-Replayed: true`; a 5xx or 503 is not stored, so a retry runs again.
         */
        post: operations["root_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/promotions/{enrollment_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The `enrollment_id` returned when the account was enrolled: `<promotion_id>:<uuid>`.
                 * @example test_promo:9f6c2b1e-3d4a-4b5c-8d7e-1f2a3b4c5d6e
                 */
                enrollment_id: components["parameters"]["EnrollmentId"];
            };
            cookie?: never;
        };
        /**
         * Get a promotion enrollment
         * @description Retrieve promotion enrollment details by enrollment ID.
         *
         *     Endpoint available to Partners only.
         *     The request must be authenticated by a user access token
         *     that the user has granted to the Partner for the account.
         *
         *     A user access token sees that account's enrollments made by the partner; an app
         *     access token (client credentials) sees all of the partner's enrollments.
         *     Enrollments of other partners or other accounts, and unenrolled ones, answer
         *     404 as if they did not exist.
         *
         *     #### OAuth
         *
         *     This endpoint requires the `promotions:read` OAuth scope.
         */
        get: operations["root_retrieve"];
        put?: never;
        post?: never;
        /**
         * Delete a promotion enrollment
         * @description Unenrolls an account from a promotion.
         *
         *     Zapier's pages disagree on which token this endpoint takes, so both work:
         *     an app access token (OAuth client credentials) unenrolls any of the Partner's
         *     enrollments; a user access token unenrolls only its own account's enrollments
         *     made by that Partner (another account's answers 404 `enrollment_not_found`).
         *
         *     A request without a body is bodiless whatever its `Content-Type` says: a client
         *     that sends `Content-Type: application/json` on every request gets the same answer.
         *
         *     Unenrolling keeps the enrollment for audit; afterwards it answers 404 to GET
         *     and DELETE.
         *
         *     #### OAuth
         *
         *     This endpoint requires the `promotions:write` OAuth scope.
         */
        delete: operations["root_destroy"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/webhook_endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List webhook endpoints
         * @description Endpoints in id order (no secrets).
         */
        get: operations["webhook_endpoints_list"];
        put?: never;
        /**
         * Register a webhook endpoint
         * @description Registers an endpoint for signed event deliveries (Standard Webhooks). The `secret` appears only in this answer.
         */
        post: operations["webhook_endpoints_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/webhook_endpoints/{endpoint_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpoint_id: string;
            };
            cookie?: never;
        };
        /**
         * Read a webhook endpoint
         * @description No secret.
         */
        get: operations["webhook_endpoints_retrieve"];
        put?: never;
        post?: never;
        /**
         * Delete a webhook endpoint
         * @description Its pending deliveries are cancelled.
         */
        delete: operations["webhook_endpoints_destroy"];
        options?: never;
        head?: never;
        /**
         * Change a webhook endpoint
         * @description Changes the URL (checked again), event types, description or status; re-enabling resumes pending deliveries.
         */
        patch: operations["webhook_endpoints_update"];
        trace?: never;
    };
    "/v2/webhook_endpoints/{endpoint_id}/rotate_secret": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpoint_id: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate the signing secret
         * @description A new secret; the old one keeps signing beside it for 24 h (two `v1,` signatures).
         */
        post: operations["webhook_endpoints_rotate_secret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/webhook_endpoints/{endpoint_id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpoint_id: string;
            };
            cookie?: never;
        };
        /**
         * List an endpoint's deliveries
         * @description Newest first, each with its attempts.
         */
        get: operations["webhook_endpoints_deliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List events
         * @description The partner's events of the last 30 days, oldest first, for reconciliation.
         */
        get: operations["events_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/events/{event_id}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                event_id: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Redeliver an event
         * @description A new delivery of the event to every enabled endpoint subscribed to its type.
         */
        post: operations["events_redeliver"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/test_helpers/test_clocks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List test clocks
         * @description The Partner's clocks by id, paginated with `limit` (at most 100) and an opaque `cursor`.
         */
        get: operations["test_clocks_list"];
        put?: never;
        /**
         * Create a test clock
         * @description A sandbox partner's test clock (CONTRACT §9), frozen at `frozen_time` (kept to the
         *     whole second). Accounts created on it, and their enrollments, live at its time.
         *     Needs the Partner's app token (client credentials) with `promotions:write`; a
         *     live (non-sandbox) Partner gets 403 `permission_denied` on every test helper.
         */
        post: operations["test_clocks_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/test_helpers/test_clocks/{test_clock_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The clock's id, `clock_…`. */
                test_clock_id: string;
            };
            cookie?: never;
        };
        /**
         * Retrieve a test clock
         * @description Another Partner's clock answers 404 `test_clock_not_found`.
         */
        get: operations["test_clocks_retrieve"];
        put?: never;
        post?: never;
        /**
         * Delete a test clock
         * @description Deletes the clock and everything attached to it in one transaction: its accounts,
         *     their tokens, enrollments, usage and events. A budgeted promotion gives back the
         *     seats those enrollments took. 409 `test_clock_advancing` while it advances.
         */
        delete: operations["test_clocks_destroy"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/test_helpers/test_clocks/{test_clock_id}/advance": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The clock's id, `clock_…`. */
                test_clock_id: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Advance a test clock
         * @description Moves the clock forward to `frozen_time` (never back: 400; at most 2 years per
         *     call: 400). Everything that falls due in between happens before the answer, in
         *     order: enrollments past their expiration (rules 1 and 10) expire with their
         *     `expired` events; billing cycles roll over (usage is counted per cycle at the
         *     clock's time). The answer comes when the clock is `ready` again; a second advance
         *     while one runs gets 409 `test_clock_advancing`.
         */
        post: operations["test_clocks_advance"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/test_helpers/test_clocks/{test_clock_id}/accounts": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The clock's id, `clock_…`. */
                test_clock_id: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an account on a test clock
         * @description A test account attached to the clock, and a user access token for it with
         *     `promotions:read promotions:write`, so a Partner's CI needs no consent page. The
         *     account has no password (it never signs in). Without `email`, one under
         *     `test-clocks.invalid` is made up. 409 `email_taken` when the email is in use.
         */
        post: operations["test_clocks_accounts_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/test_helpers/enrollments/{enrollment_id}/usage": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The `enrollment_id` returned when the account was enrolled: `<promotion_id>:<uuid>`.
                 * @example test_promo:9f6c2b1e-3d4a-4b5c-8d7e-1f2a3b4c5d6e
                 */
                enrollment_id: components["parameters"]["EnrollmentId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Record usage at clock time
         * @description Records task usage as the admin usage endpoint does (CONTRACT §3 rule 3), at the
         *     clock's time, on an enrollment of an account of one of the Partner's clocks; any
         *     other enrollment answers 404 `enrollment_not_found`. A repeated `idempotency_key`
         *     is counted once. Usage after expiry or unenrollment: 409 `enrollment_not_active`.
         */
        post: operations["test_helpers_usage_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @description An event type (CONTRACT §8).
         * @enum {string}
         */
        WebhookEventType: "enrollment.created" | "enrollment.unenrolled" | "enrollment.expired" | "usage.threshold_reached" | "usage.limit_reached" | "promotion.ended";
        WebhookEndpointCreate: {
            /** @description `https://` URL that receives the events; it must not resolve to loopback, private, link-local or metadata addresses (unless the server allows private URLs). */
            url: string;
            /** @description Defaults to every type. */
            event_types?: components["schemas"]["WebhookEventType"][];
            description?: string | null;
        };
        WebhookEndpointUpdate: {
            url?: string;
            event_types?: components["schemas"]["WebhookEventType"][];
            description?: string | null;
            /**
             * @description Re-enabling resumes the pending deliveries at once.
             * @enum {string}
             */
            status?: "enabled" | "disabled";
        };
        WebhookEndpoint: {
            /** @example we_3f2a9c0d4b1e8a7f6c5d4e3a */
            id: string;
            url: string;
            event_types: string[];
            description: string | null;
            /** @enum {string} */
            status: "enabled" | "disabled";
            /** @description `manual`, `gone` (the receiver answered 410) or `failing` (every attempt failed for 5 days); null while enabled. */
            disabled_reason: string | null;
            /**
             * Format: date-time
             * @description RFC 3339 UTC
             */
            created_at: string;
            /**
             * Format: date-time
             * @description RFC 3339 UTC
             */
            updated_at: string;
        };
        WebhookEndpointWithSecret: components["schemas"]["WebhookEndpoint"] & {
            /** @description `whsec_` + base64 of 32 random bytes; shown only here. */
            secret: string;
        };
        WebhookEndpointList: {
            data: components["schemas"]["WebhookEndpoint"][];
            next_cursor: string | null;
        };
        WebhookSecret: {
            secret: string;
        };
        WebhookDelivery: {
            id: string;
            event_id: string;
            type: string;
            /** @enum {string} */
            status: "pending" | "succeeded" | "failed" | "cancelled";
            attempts: {
                /**
                 * Format: date-time
                 * @description RFC 3339 UTC
                 */
                at: string;
                /** Format: int32 */
                response_status: number | null;
                error: string | null;
                /** Format: int32 */
                duration_ms: number;
            }[];
            /** @description When the next attempt is due; null unless pending. */
            next_attempt_at: string | null;
            /**
             * Format: date-time
             * @description RFC 3339 UTC
             */
            created_at: string;
        };
        WebhookDeliveryList: {
            data: components["schemas"]["WebhookDelivery"][];
            next_cursor: string | null;
        };
        WebhookEvent: {
            /** @description `evt_…`, the `webhook-id` of its deliveries */
            id: string;
            type: string;
            /**
             * Format: date-time
             * @description RFC 3339 UTC
             */
            timestamp: string;
            /** @description The enrollment as GET shows it at that moment, or the promotion. */
            data: {
                [key: string]: unknown;
            };
        };
        WebhookEventList: {
            data: components["schemas"]["WebhookEvent"][];
            next_cursor: string | null;
        };
        WebhookRedelivery: {
            event_id: string;
            /**
             * Format: int32
             * @description How many new deliveries were queued (one per enabled endpoint subscribed to the type).
             */
            deliveries: number;
        };
        PromotionEnrollment: {
            /** @description The unique identifier for the promotions */
            promotion_id: string;
            /** @description The access token the user granted to the Partner, as an alternative to sending it in the `Authorization` header (see Zapier's user enrollment guide). When present it wins over the header, which may then carry the Partner's app token or nothing. Not part of Zapier's OpenAPI file. */
            user_access_token?: string;
        };
        /** @description Successful Enrollment */
        PromotionEnrollmentResponse: {
            /** @description The unique identifier for the enrollment. This must be stored by partners. It is the promotion id, a colon, and a UUID. */
            enrollment_id: string;
        };
        /** @description Succcessful retrieval of promotion details */
        PromotionDetail: {
            /** @description The unique identifier for the enrollment. Not in Zapier's file; always sent by this server. */
            enrollment_id?: string;
            /** @description The unique identifier for the promotion */
            promotion_id: string;
            /**
             * Format: date-time
             * @description Date and time of enrollment
             */
            enrollment_date: string | null;
            /**
             * Format: date-time
             * @description Date and time when the promotion expires
             */
            expiration_date: string | null;
            /**
             * Format: int32
             * @description Maximum number of tasks allowed per monthly billing cycle
             */
            task_limit_per_month: number | null;
            /**
             * Format: int32
             * @description Number of tasks already used this monthly billing cycle (may not align with calendar month)
             */
            tasks_used_this_month: number;
            /**
             * @description Current status of the enrollment: `enrolled` until `expiration_date`, `expired` after it. (Zapier's file types this as a plain string.)
             * @enum {string}
             */
            status: "enrolled" | "expired";
            /**
             * Format: date-time
             * @description Start of the current monthly billing cycle (inclusive). Cycles are anchored on the enrollment date: cycle k starts k calendar months after it, the day clamped to the month's length. Not in Zapier's file; always sent by this server.
             */
            billing_cycle_start?: string;
            /**
             * Format: date-time
             * @description End of the current monthly billing cycle (exclusive): when the next cycle starts and `tasks_used_this_month` resets. Not in Zapier's file; always sent by this server.
             */
            billing_cycle_end?: string;
        };
        PromotionErrorResponse: {
            /** @description Errors encountered processing the request */
            errors: components["schemas"]["PromotionError"][];
        };
        PromotionError: {
            /** @description HTTP status code of the error */
            status: string;
            /** @description Machine-readable error code */
            code: string;
            /** @description Human-readable error title */
            title: string;
            /** @description Detailed description of the error */
            detail: string;
            /** @description Where the error comes from, when it comes from one part of the request. Not in Zapier's file. */
            source?: {
                /** @description A JSON Pointer (RFC 6901) into the request body, e.g. `/promotion_id`. */
                pointer?: string;
                /** @description The name of the offending query or path parameter. */
                parameter?: string;
                /** @description The name of the offending request header (JSON:API 1.1), e.g. `Idempotency-Key`. */
                header?: string;
            };
        };
        /** @description A sandbox Partner's test clock (CONTRACT §9). */
        TestClock: {
            /** @example clock_3q2-8Zx0bW1yVd7nQ4kT5A */
            id: string;
            /**
             * Format: date-time
             * @description The clock's time (RFC 3339 UTC, whole seconds).
             * @example 2026-01-31T10:00:00Z
             */
            frozen_time: string;
            name: string | null;
            /** @enum {string} */
            status: "ready" | "advancing";
            /**
             * Format: date-time
             * @description When the clock was created, in real time.
             */
            created_at: string;
        };
        TestClockList: {
            data: components["schemas"]["TestClock"][];
            next_cursor: string | null;
        };
        TestClockCreate: {
            /**
             * Format: date-time
             * @description The clock's starting time (RFC 3339); milliseconds are dropped.
             */
            frozen_time: string;
            name?: string | null;
        };
        TestClockAdvance: {
            /**
             * Format: date-time
             * @description The new time; not earlier than the current one, at most 2 years later.
             */
            frozen_time: string;
        };
        TestClockAccountCreate: {
            /** Format: email */
            email?: string;
        };
        TestClockAccount: {
            /** Format: uuid */
            account_id: string;
            email: string;
            /** @description A user access token for the account, bound to the clock. */
            access_token: string;
            /** @enum {string} */
            token_type: "Bearer";
            /** @example promotions:read promotions:write */
            scope: string;
            /**
             * Format: int32
             * @description Seconds until the token expires, in real time.
             */
            expires_in: number;
        };
        TestClockUsage: {
            /** Format: int32 */
            tasks: number;
            idempotency_key?: string;
        };
        TestClockUsageResult: {
            /** Format: int32 */
            accepted: number;
            /** Format: int32 */
            rejected: number;
            /** Format: int32 */
            tasks_used_this_month: number;
            /** Format: int32 */
            task_limit_per_month: number | null;
        };
    };
    responses: {
        /**
         * @description Access denied: User does not have permission for enrollment_id:
         *     enroll_67890
         *
         *     No access token was sent, or it is invalid, expired or revoked
         *     (`not_authenticated`). The `WWW-Authenticate` header says which.
         */
        Unauthorized: {
            headers: {
                "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["PromotionErrorResponse"];
            };
        };
        /**
         * @description Forbidden - User lacks permission to access this location
         *
         *     The token lacks the required scope (the `WWW-Authenticate` header names it),
         *     or it is the wrong kind of token for the operation: an app token where a
         *     user token is needed, or a user token where an app token is needed
         *     (`permission_denied`).
         */
        Forbidden: {
            headers: {
                "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["PromotionErrorResponse"];
            };
        };
        /** @description Payload Too Large - the request body is over 16 KiB (`payload_too_large`). */
        PayloadTooLarge: {
            headers: {
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["PromotionErrorResponse"];
            };
        };
        /** @description Unsupported Media Type - the request body is not `application/json` (`unsupported_media_type`). */
        UnsupportedMediaType: {
            headers: {
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["PromotionErrorResponse"];
            };
        };
        /** @description Too Many Requests - the partner's or the client IP's hourly limit is spent (`rate_limited`). Wait `Retry-After` seconds. */
        RateLimited: {
            headers: {
                "Retry-After": components["headers"]["Retry-After"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["PromotionErrorResponse"];
            };
        };
        /** @description Internal Server Error - an unexpected failure (`internal_error`). Nothing was changed. The body never carries internal details. */
        InternalError: {
            headers: {
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["PromotionErrorResponse"];
            };
        };
        /** @description Service Unavailable - the database is unreachable or the server is overloaded (`service_unavailable`). Nothing was changed. Wait `Retry-After` seconds. */
        ServiceUnavailable: {
            headers: {
                "Retry-After": components["headers"]["Retry-After"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["PromotionErrorResponse"];
            };
        };
        /** @description Bad Request (`invalid_request`): a malformed body or parameter, a clock moved back or more than 2 years, a bad cursor. `source` points at the culprit. */
        TestHelpersBadRequest: {
            headers: {
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["PromotionErrorResponse"];
            };
        };
        /** @description Forbidden (`permission_denied`): the Partner is live (not sandbox), or the token is a user token or lacks `promotions:write`. */
        TestHelpersForbidden: {
            headers: {
                "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["PromotionErrorResponse"];
            };
        };
        /** @description Not Found: no such clock of this Partner (`test_clock_not_found`), or no such enrollment on one of its clocks (`enrollment_not_found`). */
        TestHelpersNotFound: {
            headers: {
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["PromotionErrorResponse"];
            };
        };
        /** @description Conflict: the clock is advancing (`test_clock_advancing`), the email is taken (`email_taken`), or the enrollment is expired or unenrolled (`enrollment_not_active`). */
        TestHelpersConflict: {
            headers: {
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["PromotionErrorResponse"];
            };
        };
    };
    parameters: {
        /**
         * @description The `enrollment_id` returned when the account was enrolled: `<promotion_id>:<uuid>`.
         * @example test_promo:9f6c2b1e-3d4a-4b5c-8d7e-1f2a3b4c5d6e
         */
        EnrollmentId: string;
        /**
         * @description Optional. 1 to 255 printable ASCII characters, unique per logical request (a UUID is a good choice). Scoped to the partner and kept for 24 hours. Not in Zapier's file.
         * @example 5f0c7e4e-8d2b-4a53-9a8e-0c1d2e3f4a5b
         */
        IdempotencyKey: string;
    };
    requestBodies: never;
    headers: {
        /**
         * @description The maximum number of requests you're permitted to make per hour: the tighter of the partner's and the client IP's limits. (Zapier's file types this header as a string with `format: uri`; the value is an integer.)
         * @example 9000
         */
        "X-RateLimit-Limit": number;
        /**
         * @description The number of requests remaining in the current rate limit window. (Zapier's file types this header as a string with `format: uri`; the value is an integer.)
         * @example 8999
         */
        "X-RateLimit-Remaining": number;
        /**
         * @description The time at which the current rate limit window resets in UTC epoch seconds. (Zapier's file types this header as a string with `format: uri`; the value is an integer.)
         * @example 1777374000
         */
        "X-RateLimit-Reset": number;
        /**
         * @description Indicates when to retry the request: a number of seconds to wait. (Zapier's file types this header as a string with `format: uri`; the value is an integer.)
         * @example 60
         */
        "Retry-After": number;
        /**
         * @description The path of the new enrollment, `/v2/promotions/<enrollment_id>`.
         * @example /v2/promotions/promo_12345:9f6c2b1e-3d4a-4b5c-8d7e-1f2a3b4c5d6e
         */
        Location: string;
        /**
         * @description The authentication challenge (RFC 6750 §3). On 401: `Bearer realm="…"` when no token was sent, `Bearer realm="…", error="invalid_token"` when the token is invalid, expired or revoked. On a 403 for a missing scope: `Bearer realm="…", error="insufficient_scope", scope="<the scope needed>"`.
         * @example Bearer realm="promotions", error="invalid_token"
         */
        "WWW-Authenticate": string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    root_create: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Optional. 1 to 255 printable ASCII characters, unique per logical request (a UUID is a good choice). Scoped to the partner and kept for 24 hours. Not in Zapier's file.
                 * @example 5f0c7e4e-8d2b-4a53-9a8e-0c1d2e3f4a5b
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PromotionEnrollment"];
            };
        };
        responses: {
            /** @description Successful Enrollment */
            201: {
                headers: {
                    Location: components["headers"]["Location"];
                    /** @description `true` when this answer is the replay of an earlier request with the same `Idempotency-Key`. */
                    "Idempotent-Replayed"?: "true";
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionEnrollmentResponse"];
                };
            };
            /** @description Bad Request - the body is not valid JSON or does not match `PromotionEnrollment`, or a header is malformed (`invalid_request`). `source.pointer` points at the offending body property, or `source.header` names the offending header. */
            400: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description 404 Not Found */
            404: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            /**
             * @description Conflict - User is already enrolled in this promotion
             *
             *     One of:
             *     - `already_enrolled`: the account has a live enrollment in the promotion, or
             *       had any enrollment and the promotion does not allow re-enrollment (then
             *       `detail` says so);
             *     - `promotion_full`: the promotion reached its maximum number of enrollments;
             *     - `promotion_not_active`: the promotion is paused or ended, or now is outside
             *       its enrollment window (`detail` says which);
             *     - `idempotency_key_in_use`: a request with the same `Idempotency-Key` is still
             *       running.
             */
            409: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable Content - the `Idempotency-Key` was already used with a different request body (`idempotency_key_reused`). */
            422: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    root_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The `enrollment_id` returned when the account was enrolled: `<promotion_id>:<uuid>`.
                 * @example test_promo:9f6c2b1e-3d4a-4b5c-8d7e-1f2a3b4c5d6e
                 */
                enrollment_id: components["parameters"]["EnrollmentId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Succcessful retrieval of promotion details */
            200: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionDetail"];
                };
            };
            /** @description Bad Request - the request is malformed (`invalid_request`), for example an over-long `enrollment_id` or an access token sent in the query string. `source.parameter` names the offending parameter. */
            400: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Not Found - no such enrollment visible to the caller, or it was unenrolled (`enrollment_not_found`). Zapier's file documents this response as "No response body"; this server sends the error envelope, which a client ignoring the body handles the same way. */
            404: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    root_destroy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The `enrollment_id` returned when the account was enrolled: `<promotion_id>:<uuid>`.
                 * @example test_promo:9f6c2b1e-3d4a-4b5c-8d7e-1f2a3b4c5d6e
                 */
                enrollment_id: components["parameters"]["EnrollmentId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad Request - the request is malformed (`invalid_request`), for example an over-long `enrollment_id` or an access token sent in the query string. `source.parameter` names the offending parameter. */
            400: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Not Found - no such enrollment of this partner, or it was already unenrolled (`enrollment_not_found`). */
            404: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    webhook_endpoints_list: {
        parameters: {
            query?: {
                /** @description Page size (1-100). */
                limit?: number;
                /** @description The `next_cursor` of the previous page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of endpoints */
            200: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpointList"];
                };
            };
            /** @description Bad Request - invalid body, parameter or cursor, an unknown event type, or a URL that is not https:// or resolves to a private address (`invalid_request`). */
            400: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Not Found - no such endpoint or event of this partner (`webhook_endpoint_not_found`, `event_not_found`). */
            404: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    webhook_endpoints_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "url": "https://partner.example/webhooks",
                 *       "event_types": [
                 *         "enrollment.created",
                 *         "usage.limit_reached"
                 *       ],
                 *       "description": "CRM sync"
                 *     }
                 */
                "application/json": components["schemas"]["WebhookEndpointCreate"];
            };
        };
        responses: {
            /** @description Created; `Location` names the endpoint. */
            201: {
                headers: {
                    Location?: string;
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpointWithSecret"];
                };
            };
            /** @description Bad Request - invalid body, parameter or cursor, an unknown event type, or a URL that is not https:// or resolves to a private address (`invalid_request`). */
            400: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Not Found - no such endpoint or event of this partner (`webhook_endpoint_not_found`, `event_not_found`). */
            404: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    webhook_endpoints_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpoint_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoint */
            200: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpoint"];
                };
            };
            /** @description Bad Request - invalid body, parameter or cursor, an unknown event type, or a URL that is not https:// or resolves to a private address (`invalid_request`). */
            400: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Not Found - no such endpoint or event of this partner (`webhook_endpoint_not_found`, `event_not_found`). */
            404: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    webhook_endpoints_destroy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpoint_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad Request - invalid body, parameter or cursor, an unknown event type, or a URL that is not https:// or resolves to a private address (`invalid_request`). */
            400: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Not Found - no such endpoint or event of this partner (`webhook_endpoint_not_found`, `event_not_found`). */
            404: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    webhook_endpoints_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpoint_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "url": "https://partner.example/webhooks/v2",
                 *       "event_types": [
                 *         "enrollment.created"
                 *       ],
                 *       "description": "CRM sync",
                 *       "status": "enabled"
                 *     }
                 */
                "application/json": components["schemas"]["WebhookEndpointUpdate"];
            };
        };
        responses: {
            /** @description The endpoint */
            200: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpoint"];
                };
            };
            /** @description Bad Request - invalid body, parameter or cursor, an unknown event type, or a URL that is not https:// or resolves to a private address (`invalid_request`). */
            400: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Not Found - no such endpoint or event of this partner (`webhook_endpoint_not_found`, `event_not_found`). */
            404: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    webhook_endpoints_rotate_secret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpoint_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new secret (shown only here) */
            200: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookSecret"];
                };
            };
            /** @description Bad Request - invalid body, parameter or cursor, an unknown event type, or a URL that is not https:// or resolves to a private address (`invalid_request`). */
            400: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Not Found - no such endpoint or event of this partner (`webhook_endpoint_not_found`, `event_not_found`). */
            404: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    webhook_endpoints_deliveries: {
        parameters: {
            query?: {
                /** @description Page size (1-100). */
                limit?: number;
                /** @description The `next_cursor` of the previous page. */
                cursor?: string;
                /** @description Only deliveries in this status. */
                status?: "pending" | "succeeded" | "failed" | "cancelled";
            };
            header?: never;
            path: {
                endpoint_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of deliveries */
            200: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryList"];
                };
            };
            /** @description Bad Request - invalid body, parameter or cursor, an unknown event type, or a URL that is not https:// or resolves to a private address (`invalid_request`). */
            400: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Not Found - no such endpoint or event of this partner (`webhook_endpoint_not_found`, `event_not_found`). */
            404: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    events_list: {
        parameters: {
            query?: {
                /** @description Page size (1-100). */
                limit?: number;
                /** @description The `next_cursor` of the previous page. */
                cursor?: string;
                /** @description Only events of this type. */
                type?: components["schemas"]["WebhookEventType"];
                /** @description Only events at or after this instant (RFC 3339). */
                since?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events */
            200: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEventList"];
                };
            };
            /** @description Bad Request - invalid body, parameter or cursor, an unknown event type, or a URL that is not https:// or resolves to a private address (`invalid_request`). */
            400: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Not Found - no such endpoint or event of this partner (`webhook_endpoint_not_found`, `event_not_found`). */
            404: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    events_redeliver: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                event_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued */
            202: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookRedelivery"];
                };
            };
            /** @description Bad Request - invalid body, parameter or cursor, an unknown event type, or a URL that is not https:// or resolves to a private address (`invalid_request`). */
            400: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Not Found - no such endpoint or event of this partner (`webhook_endpoint_not_found`, `event_not_found`). */
            404: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionErrorResponse"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    test_clocks_list: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of clocks. */
            200: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TestClockList"];
                };
            };
            400: components["responses"]["TestHelpersBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["TestHelpersForbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    test_clocks_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "frozen_time": "2026-01-31T10:00:00Z",
                 *       "name": "CI enrollment lifetime"
                 *     }
                 */
                "application/json": components["schemas"]["TestClockCreate"];
            };
        };
        responses: {
            /** @description The clock, `ready`. */
            201: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TestClock"];
                };
            };
            400: components["responses"]["TestHelpersBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["TestHelpersForbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    test_clocks_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The clock's id, `clock_…`. */
                test_clock_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The clock. */
            200: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TestClock"];
                };
            };
            400: components["responses"]["TestHelpersBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["TestHelpersForbidden"];
            404: components["responses"]["TestHelpersNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    test_clocks_destroy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The clock's id, `clock_…`. */
                test_clock_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted; no body. */
            204: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["TestHelpersBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["TestHelpersForbidden"];
            404: components["responses"]["TestHelpersNotFound"];
            409: components["responses"]["TestHelpersConflict"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    test_clocks_advance: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The clock's id, `clock_…`. */
                test_clock_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "frozen_time": "2026-02-28T10:00:00Z"
                 *     }
                 */
                "application/json": components["schemas"]["TestClockAdvance"];
            };
        };
        responses: {
            /** @description The clock at its new time, `ready`. */
            200: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TestClock"];
                };
            };
            400: components["responses"]["TestHelpersBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["TestHelpersForbidden"];
            404: components["responses"]["TestHelpersNotFound"];
            409: components["responses"]["TestHelpersConflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    test_clocks_accounts_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The clock's id, `clock_…`. */
                test_clock_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "email": "ci-run-42@example.com"
                 *     }
                 */
                "application/json": components["schemas"]["TestClockAccountCreate"];
            };
        };
        responses: {
            /** @description The account and its access token (shown only here). */
            201: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TestClockAccount"];
                };
            };
            400: components["responses"]["TestHelpersBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["TestHelpersForbidden"];
            404: components["responses"]["TestHelpersNotFound"];
            409: components["responses"]["TestHelpersConflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    test_helpers_usage_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The `enrollment_id` returned when the account was enrolled: `<promotion_id>:<uuid>`.
                 * @example test_promo:9f6c2b1e-3d4a-4b5c-8d7e-1f2a3b4c5d6e
                 */
                enrollment_id: components["parameters"]["EnrollmentId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "tasks": 100,
                 *       "idempotency_key": "ci-run-42"
                 *     }
                 */
                "application/json": components["schemas"]["TestClockUsage"];
            };
        };
        responses: {
            /** @description What was accepted and rejected, and the usage of the current cycle. */
            200: {
                headers: {
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TestClockUsageResult"];
                };
            };
            400: components["responses"]["TestHelpersBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["TestHelpersForbidden"];
            404: components["responses"]["TestHelpersNotFound"];
            409: components["responses"]["TestHelpersConflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
}
type FlattenedDeepRequired<T> = {
    [K in keyof T]-?: FlattenedDeepRequired<T[K] extends unknown[] | undefined | null ? Extract<T[K], unknown[]>[number] : T[K]>;
};
type ReadonlyArray<T> = [
    Exclude<T, undefined>
] extends [
    unknown[]
] ? Readonly<Exclude<T, undefined>> : Readonly<Exclude<T, undefined>[]>;
export const pathsV2PromotionsPostResponses201HeadersIdempotentReplayedValues: ReadonlyArray<FlattenedDeepRequired<paths>["/v2/promotions"]["post"]["responses"]["201"]["headers"]["Idempotent-Replayed"]> = ["true"];
export const pathsV2Webhook_endpointsEndpoint_idDeliveriesGetParametersQueryStatusValues: ReadonlyArray<FlattenedDeepRequired<paths>["/v2/webhook_endpoints/{endpoint_id}/deliveries"]["get"]["parameters"]["query"]["status"]> = ["pending", "succeeded", "failed", "cancelled"];
export const webhookEventTypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["WebhookEventType"]> = ["enrollment.created", "enrollment.unenrolled", "enrollment.expired", "usage.threshold_reached", "usage.limit_reached", "promotion.ended"];
export const webhookEndpointUpdateStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["WebhookEndpointUpdate"]["status"]> = ["enabled", "disabled"];
export const webhookEndpointStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["WebhookEndpoint"]["status"]> = ["enabled", "disabled"];
export const webhookDeliveryStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["WebhookDelivery"]["status"]> = ["pending", "succeeded", "failed", "cancelled"];
export const promotionDetailStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["PromotionDetail"]["status"]> = ["enrolled", "expired"];
export const testClockStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TestClock"]["status"]> = ["ready", "advancing"];
export const testClockAccountToken_typeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TestClockAccount"]["token_type"]> = ["Bearer"];
