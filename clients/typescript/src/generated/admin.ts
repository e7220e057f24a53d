// Generated from openapi/admin.yaml by openapi-typescript: do not edit.
// Regenerate with `npm run client:generate`; `npm run client:check` fails on drift.

export interface paths {
    "/admin/v1/partners": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List partners
         * @description Every partner by name (no secrets).
         */
        get: operations["admin_partners_list"];
        put?: never;
        /**
         * Register a partner
         * @description Creates a partner (an OAuth client) and returns its `client_secret`. The secret is stored only as a hash and appears only in this response.
         */
        post: operations["admin_partners_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/partners/{partner_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                partner_id: components["parameters"]["PartnerId"];
            };
            cookie?: never;
        };
        /**
         * Get a partner
         * @description The partner, without its secret.
         */
        get: operations["admin_partners_retrieve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change or disable a partner
         * @description Changes the fields given (`name`, `redirect_uris`, `scopes`, `status`); the others stay. `status: disabled` switches the partner off at once: its access tokens are refused with 401 `invalid_token` and its client credentials with `invalid_client` at `/oauth/token`, `/oauth/revoke` and `/oauth/introspect`; its enrollments, accounts and tokens are kept, and `status: enabled` restores them (tokens not yet expired work again). Narrower `scopes` bind new tokens only. One audit entry (`partner.updated`) records each changed field's before and after.
         */
        patch: operations["admin_partners_update"];
        trace?: never;
    };
    "/admin/v1/accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an account
         * @description Creates an account that partners can enroll. The email is unique, case-insensitively; the password (used on the consent page) is stored only as a hash.
         */
        post: operations["admin_accounts_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/accounts/{account_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                account_id: components["parameters"]["AccountId"];
            };
            cookie?: never;
        };
        /**
         * Get an account
         * @description One account by id; 404 `account_not_found` if there is none.
         */
        get: operations["admin_accounts_retrieve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change an account
         * @description Sets, changes or clears (`null`) the account's `external_id`, the platform's own id of it (CONTRACT §12), and sets a new consent-page `password`. Fields left out are unchanged.
         */
        patch: operations["admin_accounts_update"];
        trace?: never;
    };
    "/admin/v1/promotions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List promotions
         * @description All promotions, or those of one partner, oldest first.
         */
        get: operations["admin_promotions_list"];
        put?: never;
        /**
         * Create a promotion
         * @description Creates a promotion owned by a partner. Omitted fields take their defaults:
         *     `status` `active`, `allow_reenrollment` false, the others null.
         *
         *     400 `invalid_request` when `ends_at` is not after `starts_at`, a number is
         *     negative (or `duration_days` below 1), or `id` is not a valid slug.
         */
        post: operations["admin_promotions_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/promotions/{promotion_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                promotion_id: components["parameters"]["PromotionId"];
            };
            cookie?: never;
        };
        /**
         * Get a promotion
         * @description One promotion by id, of any partner, with its `enrollments_count`; 404 `promotion_not_found` if there is none.
         */
        get: operations["admin_promotions_retrieve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change a promotion
         * @description Changes the given fields (status, window, limits, name); the others stay as
         *     they are. Send null to clear a nullable field. The same checks as on create
         *     apply to the result (400 `invalid_request`).
         *
         *     Existing enrollments keep their expiration date. Lowering `max_enrollments`
         *     below `enrollments_count` answers 409 `max_enrollments_below_count`.
         */
        patch: operations["admin_promotions_update"];
        trace?: never;
    };
    "/admin/v1/promotions/{promotion_id}/enrollments": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                promotion_id: components["parameters"]["PromotionId"];
            };
            cookie?: never;
        };
        /**
         * List a promotion's enrollments
         * @description The promotion's enrollments, unenrolled ones included, in a stable order (by
         *     their internal id), with the usage of their current billing cycle. `status` is
         *     computed at read time: `unenrolled` once unenrolled, else `expired` after the
         *     expiration date, else `enrolled`.
         */
        get: operations["admin_promotion_enrollments_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/promotions/{promotion_id}/enrollments.csv": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                promotion_id: components["parameters"]["PromotionId"];
            };
            cookie?: never;
        };
        /**
         * Export a promotion's enrollments as CSV
         * @description The promotion's enrollments, unenrolled ones included, with the same fields as the
         *     list (`GET …/enrollments`) and the account's `account_email`, each at its own time
         *     (its test clock's for a clock's enrollment), in the list's order, streamed to the
         *     end: no pages. CSV follows RFC 4180 (a header row, CRLF line ends, fields quoted
         *     only when they hold a comma, a quote or a line break, quotes doubled, an empty
         *     field for null); a text cell starting with `=`, `+`, `-`, `@`, tab or CR gets a
         *     leading `'` so a spreadsheet never runs it as a formula. NDJSON is one JSON object
         *     per line, the CSV's columns as fields (null kept, numbers as numbers).
         *
         *     The rows are read in batches of 1,000 by id, each batch one statement, as the
         *     client takes them: memory stays constant whatever the size, and a long download
         *     holds no database connection between batches. It is not a snapshot: an enrollment
         *     made or changed during the download may or may not show its change, and no row
         *     appears twice. A failure after the first row cuts the connection (no final chunk),
         *     so a truncated file is never a complete answer. Two URLs, one per format, rather
         *     than `Accept` negotiation: a link or `curl -O` gets what the name says.
         *
         *     The same rows as `…/enrollments.ndjson`.
         */
        get: operations["admin_promotion_enrollments_export_csv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/promotions/{promotion_id}/enrollments.ndjson": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                promotion_id: components["parameters"]["PromotionId"];
            };
            cookie?: never;
        };
        /**
         * Export a promotion's enrollments as NDJSON
         * @description The promotion's enrollments, unenrolled ones included, with the same fields as the
         *     list (`GET …/enrollments`) and the account's `account_email`, each at its own time
         *     (its test clock's for a clock's enrollment), in the list's order, streamed to the
         *     end: no pages. CSV follows RFC 4180 (a header row, CRLF line ends, fields quoted
         *     only when they hold a comma, a quote or a line break, quotes doubled, an empty
         *     field for null); a text cell starting with `=`, `+`, `-`, `@`, tab or CR gets a
         *     leading `'` so a spreadsheet never runs it as a formula. NDJSON is one JSON object
         *     per line, the CSV's columns as fields (null kept, numbers as numbers).
         *
         *     The rows are read in batches of 1,000 by id, each batch one statement, as the
         *     client takes them: memory stays constant whatever the size, and a long download
         *     holds no database connection between batches. It is not a snapshot: an enrollment
         *     made or changed during the download may or may not show its change, and no row
         *     appears twice. A failure after the first row cuts the connection (no final chunk),
         *     so a truncated file is never a complete answer. Two URLs, one per format, rather
         *     than `Accept` negotiation: a link or `curl -O` gets what the name says.
         *
         *     The same rows as `…/enrollments.csv`.
         */
        get: operations["admin_promotion_enrollments_export_ndjson"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/promotions/{promotion_id}/usage.csv": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                promotion_id: components["parameters"]["PromotionId"];
            };
            cookie?: never;
        };
        /**
         * Export a promotion's usage per billing cycle as CSV
         * @description The promotion's task usage, one row per enrollment and billing cycle in which it
         *     used tasks (a cycle without usage has no row), by enrollment then cycle:
         *     `cycle_start` and `cycle_end` are the cycle's bounds (CONTRACT §3 rule 2: monthly
         *     from each enrollment's own date), `tasks_used` what counts against the limit in that
         *     cycle, `task_limit_per_month` the promotion's limit now. With `cycle=YYYY-MM`, only
         *     the cycles that start in that calendar month (UTC): exactly one per enrollment that
         *     used tasks in it, what reconciling a month needs. Streamed and formatted as the
         *     enrollments export (RFC 4180 CSV with formula cells neutralised, or NDJSON).
         *
         *     The same rows as `…/usage.ndjson`.
         */
        get: operations["admin_promotion_usage_export_csv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/promotions/{promotion_id}/usage.ndjson": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                promotion_id: components["parameters"]["PromotionId"];
            };
            cookie?: never;
        };
        /**
         * Export a promotion's usage per billing cycle as NDJSON
         * @description The promotion's task usage, one row per enrollment and billing cycle in which it
         *     used tasks (a cycle without usage has no row), by enrollment then cycle:
         *     `cycle_start` and `cycle_end` are the cycle's bounds (CONTRACT §3 rule 2: monthly
         *     from each enrollment's own date), `tasks_used` what counts against the limit in that
         *     cycle, `task_limit_per_month` the promotion's limit now. With `cycle=YYYY-MM`, only
         *     the cycles that start in that calendar month (UTC): exactly one per enrollment that
         *     used tasks in it, what reconciling a month needs. Streamed and formatted as the
         *     enrollments export (RFC 4180 CSV with formula cells neutralised, or NDJSON).
         *
         *     The same rows as `…/usage.csv`.
         */
        get: operations["admin_promotion_usage_export_ndjson"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/enrollments/{enrollment_id}/usage": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description `<promotion_id>:<uuid>`, as returned by `POST /v2/promotions`.
                 * @example spring_2026:9f6c2b1e-3d4a-4b5c-8d7e-1f2a3b4c5d6e
                 */
                enrollment_id: components["parameters"]["EnrollmentId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Record task usage
         * @description Records `tasks` used by the enrollment's account in the current billing cycle.
         *     Usage never takes `tasks_used_this_month` above `task_limit_per_month`, under
         *     any concurrency: the part of the batch that fits is accepted, the rest
         *     rejected, and the response says how many of each. A repeated
         *     `idempotency_key` is counted once (the repeat answers as the first did).
         *
         *     The tasks count against the billing cycle that contains `occurred_at`
         *     (default now), so late reports land in their own cycle; `tasks_used_this_month`
         *     in the answer is always the current cycle's. `occurred_at` may not be in the
         *     future nor before the enrollment date (400).
         *
         *     Usage of an unenrolled enrollment, or that occurred after the expiration date,
         *     is rejected entirely: 409 `enrollment_not_active`.
         */
        post: operations["admin_enrollment_usage_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/enrollments/{enrollment_id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description `<promotion_id>:<uuid>`, as returned by `POST /v2/promotions`.
                 * @example spring_2026:9f6c2b1e-3d4a-4b5c-8d7e-1f2a3b4c5d6e
                 */
                enrollment_id: components["parameters"]["EnrollmentId"];
            };
            cookie?: never;
        };
        /**
         * List an enrollment's events
         * @description The enrollment's audit trail, oldest first: `enrolled` and `unenrolled` (actor
         *     `partner`), `usage_recorded` and `limit_reached` (actor `admin`), `expired`
         *     (actor `system`, appended by the expiry sweeper).
         */
        get: operations["admin_enrollment_events_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/usage_events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Report usage events (metering)
         * @description The platform reports the tasks its users ran, up to 1,000 events per request
         *     (body up to 1 MiB), and learns at once which were sponsored (CONTRACT §12).
         *     Each event's tasks are drawn from the account's enrollments that sponsor at
         *     `occurred_at`, earliest effective `expiration_date` first (none: last), then
         *     earliest `enrollment_date`, then `enrollment_id`; each takes what is left of
         *     its `task_limit_per_month` in the billing cycle that contains `occurred_at`
         *     (all of it when unlimited), and what none takes is `unsponsored`. No cycle
         *     ever exceeds its limit and no task is counted twice, under any concurrency.
         *
         *     One result per event, in request order: `recorded`, `duplicate` (this `id` was
         *     recorded before, or earlier in this request, with the same account, `tasks`
         *     and `occurred_at`: the first result's numbers again, nothing counted again;
         *     an event without `occurred_at` matches the recorded one's), or `rejected` with
         *     an `error` whose `source.pointer` names the field. A rejected event changes
         *     nothing; the others are unaffected. The request commits whole or not at all:
         *     a 200 means every `recorded` event is durable; any error status means nothing
         *     was counted and the same request may be sent again as it is.
         *
         *     Callable by an API key of role `meter` (this and `GET /admin/v1/entitlements`
         *     only), editors and owners.
         */
        post: operations["admin_usage_events_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/entitlements": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What an account's enrollments would sponsor
         * @description The enrollments of the account that would sponsor a task at `at` (default now;
         *     an account on a test clock: its clock's now), in allocation order, with what
         *     is left of each one's limit in the billing cycle containing `at`.
         *     `sponsored_remaining` is their sum, null when one of them is unlimited. Give
         *     exactly one of `account_id` and `external_account_id`.
         */
        get: operations["admin_entitlements_retrieve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mint an access token
         * @description Issues a token as `/oauth/token` returns it, for sandboxes and partners' CI: a user token (with a refresh token) for the account when `account_id` is given, else an app token. A scope outside the partner's allowed scopes answers 400 `invalid_scope`.
         */
        post: operations["admin_tokens_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/partners/{partner_id}/rotate_secret": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                partner_id: components["parameters"]["PartnerId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate a partner's client secret
         * @description A new `client_secret`, shown only in this answer; the old one stops working at once (access tokens already issued keep working until they expire or are revoked). The audit log records the rotation, never the secret.
         */
        post: operations["admin_partners_rotate_secret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/partners/{partner_id}/test_clocks": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                partner_id: components["parameters"]["PartnerId"];
            };
            cookie?: never;
        };
        /**
         * List a partner's test clocks
         * @description A sandbox partner's test clocks (CONTRACT §9) by id; a live partner has none.
         */
        get: operations["admin_test_clocks_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/partners/{partner_id}/test_clocks/{test_clock_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                partner_id: components["parameters"]["PartnerId"];
                test_clock_id: components["parameters"]["TestClockId"];
            };
            cookie?: never;
        };
        /**
         * Get a test clock
         * @description One of the partner's test clocks; 404 if the partner or the clock does not exist.
         */
        get: operations["admin_test_clocks_retrieve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/partners/{partner_id}/test_clocks/{test_clock_id}/advance": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                partner_id: components["parameters"]["PartnerId"];
                test_clock_id: components["parameters"]["TestClockId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Advance a test clock
         * @description As the sandbox partner's own `POST /v2/test_helpers/test_clocks/{id}/advance` (CONTRACT §9): forward only, at most 2 years; everything that falls due in between happens before the answer. Recorded in the audit log (`test_clock.advanced`).
         */
        post: operations["admin_test_clocks_advance"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/operators": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List operators
         * @description Every operator, disabled ones too, by email.
         */
        get: operations["admin_operators_list"];
        put?: never;
        /**
         * Create an operator
         * @description A person who runs the server, with a role (`viewer`, `editor` or `owner`). The password (at least 12 characters; used to sign in to `/console`) is stored only as a hash. The email is unique, case-insensitively.
         */
        post: operations["admin_operators_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/operators/{operator_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                operator_id: components["parameters"]["OperatorId"];
            };
            cookie?: never;
        };
        /**
         * Get an operator
         * @description One operator by id; 404 `operator_not_found` if there is none.
         */
        get: operations["admin_operators_retrieve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change an operator's role, or disable it
         * @description A new `role`, or `disabled: true` (its API keys and console sessions stop working at once) and `disabled: false` to enable it again. The last enabled owner cannot be demoted or disabled (409 `last_owner`).
         */
        patch: operations["admin_operators_update"];
        trace?: never;
    };
    "/admin/v1/operators/{operator_id}/reset_password": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                operator_id: components["parameters"]["OperatorId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reset an operator's password
         * @description A new temporary password, shown only in this answer (`no-store`); the old password stops working at once. The operator signs in to the console with it and must choose a new password before anything else (`must_change_password` is true until then). The audit log records the reset (`operator.password_reset`), never the password.
         */
        post: operations["admin_operators_reset_password"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/operators/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change your own password
         * @description The calling operator (named by its API key) sets a new password, giving the current one; a reset's `must_change_password` is cleared. ADMIN_TOKEN is no operator: 403. The audit log records the change (`operator.password_changed`), never the password.
         */
        post: operations["admin_operators_change_own_password"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/operators/{operator_id}/api_keys": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                operator_id: components["parameters"]["OperatorId"];
            };
            cookie?: never;
        };
        /**
         * List an operator's API keys
         * @description Newest first, revoked ones too; never the key values.
         */
        get: operations["admin_api_keys_list"];
        put?: never;
        /**
         * Create an admin API key
         * @description A key bound to the operator, used as `Authorization: Bearer adk_…` on `/admin/v1`. Its `role` is at most the operator's (default: the operator's); the lower of the two applies, so demoting the operator narrows its keys too. The `key` appears only in this answer; only a hash is stored.
         */
        post: operations["admin_api_keys_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/operators/{operator_id}/api_keys/{key_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                operator_id: components["parameters"]["OperatorId"];
                key_id: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an admin API key
         * @description The key stops working at once; it stays listed with `revoked_at`. A second revoke answers 404.
         */
        delete: operations["admin_api_keys_destroy"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/audit_log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the audit log
         * @description Every admin write (API, CLI, console), newest first: who (`actor`), what (`action`, e.g. `promotion.updated`), on which object, the before/after of the fields it changed (never a secret: a rotation is an action without values), the request id and whether it came through the API or the console. Entries are written in the transaction of the change, so a change that answered 2xx always has its entry and one that failed has none.
         */
        get: operations["admin_audit_log_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/bootstrap": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Apply a bootstrap document
         * @description Makes the database hold what the document declares, in one transaction: a
         *     failure anywhere changes nothing. What `npm run admin -- apply -f <file>` sends
         *     once it has read the YAML file and resolved its secrets from the operator's
         *     environment variables (the file names the variables, never the values); the
         *     server applies the same file itself at start with `SEED_FILE`. The JSON Schema
         *     of the file is `openapi/seed.schema.json`.
         *
         *     - Objects are identified by what the file names: a partner by `client_id`, an
         *       account by `email` (case-insensitively), a promotion by `id`, a webhook
         *       endpoint by its partner and `url`. A declared object that does not exist is
         *       created; one that differs in any field is updated (absent fields take their
         *       defaults); otherwise it is unchanged. Applying the same document again
         *       changes nothing.
         *     - A secret is unchanged when the declared value verifies against the stored
         *       hash (client secrets, passwords) or equals the stored webhook secret. A
         *       changed webhook secret rotates as `rotate_secret` does (the old one signs
         *       beside it for 24 h).
         *     - Nothing the document does not name is touched, unless `prune` is true. Then
         *       webhook endpoints it does not name are deleted; promotions are deleted, or
         *       ended (rule 10) when they have enrollments; accounts (not on a test clock)
         *       and partners are deleted with their tokens, unless they have enrollments,
         *       which keep them (`kept`): enrollment history is never deleted.
         *     - `dry_run: true` answers the same plan and changes nothing.
         *
         *     Instances applying at once (several servers starting with one file) take
         *     turns under a database lock; the later ones find everything unchanged.
         *
         *     Owners only (it registers partners and sets their secrets). Each change is
         *     recorded in the audit log in the apply's transaction, one entry per object
         *     (`partner.created`, `promotion.updated`, `webhook_endpoint.deleted`, …, never
         *     a secret); a dry run records nothing.
         */
        post: operations["admin_bootstrap_apply"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness
         * @description The process is up, and which release it runs. Touches nothing else, and still answers when the process sheds load.
         */
        get: operations["ops_healthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness
         * @description The database is reachable; 503 (with `Retry-After`) when it is not, or when the process is overloaded and sheds load.
         */
        get: operations["ops_readyz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description Prometheus text exposition (format 0.0.4) of this instance:
         *
         *     - `http_requests_total{method,route,status}` and
         *       `http_request_duration_seconds{method,route,status}` (histogram): `route` is
         *       the route template (`/v2/promotions/:enrollment_id`), `unmatched` for
         *       unknown URLs.
         *     - `db_pool_connections{state}`: PostgreSQL pool connections, `state` one of
         *       `total`, `idle`, `in_use`, `waiting` (absent on embedded PGlite).
         *     - `rate_limit_rejections_total{kind}`: 429 answers, `kind` `ip` or `partner`.
         *     - `rate_limit_local_fallback_total`: rate-limit decisions taken on
         *       in-process counters because Redis was unreachable.
         *     - `redis_up`: 1 when the shared rate-limit store (`REDIS_URL`) is reachable,
         *       0 when not (absent without `REDIS_URL`).
         *     - The default Node.js process metrics (`process_*`, `nodejs_*`).
         *
         *     Not authenticated and not rate limited, and still answered when the
         *     process sheds load; expose it only to the monitoring network.
         */
        get: operations["ops_metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The public API description, as JSON
         * @description The public API's OpenAPI document (`openapi/promotions.yaml`), as JSON.
         */
        get: operations["ops_openapi_json"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.yaml": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The public API description, as YAML
         * @description The public API's OpenAPI document (`openapi/promotions.yaml`), as is.
         */
        get: operations["ops_openapi_yaml"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Interactive API reference
         * @description An interactive reference of the three contract files (the public API, the OAuth 2 authorization server, and this admin API), rendered in the browser by Scalar. Everything it loads is served by this server (the bundle at `/docs/js/scalar.js` and the files at `/openapi.yaml`, `/openapi/oauth.yaml`, `/openapi/admin.yaml`), so it works offline. The page carries a Content-Security-Policy that allows only this origin and its one inline bootstrap script. `/docs` redirects to `/docs/`.
         */
        get: operations["ops_docs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/partners/{partner_id}/webhook_endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                partner_id: components["parameters"]["PartnerId"];
            };
            cookie?: never;
        };
        /**
         * List webhook endpoints
         * @description Endpoints in id order (no secrets).
         */
        get: operations["admin_webhook_endpoints_list"];
        put?: never;
        /**
         * Register a webhook endpoint
         * @description Registers an endpoint for signed event deliveries (Standard Webhooks). The `secret` appears only in this answer.
         */
        post: operations["admin_webhook_endpoints_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/partners/{partner_id}/webhook_endpoints/{endpoint_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                partner_id: components["parameters"]["PartnerId"];
                endpoint_id: string;
            };
            cookie?: never;
        };
        /**
         * Read a webhook endpoint
         * @description No secret.
         */
        get: operations["admin_webhook_endpoints_retrieve"];
        put?: never;
        post?: never;
        /**
         * Delete a webhook endpoint
         * @description Its pending deliveries are cancelled.
         */
        delete: operations["admin_webhook_endpoints_destroy"];
        options?: never;
        head?: never;
        /**
         * Change a webhook endpoint
         * @description Changes the URL (checked again), event types, description or status; re-enabling resumes pending deliveries.
         */
        patch: operations["admin_webhook_endpoints_update"];
        trace?: never;
    };
    "/admin/v1/partners/{partner_id}/webhook_endpoints/{endpoint_id}/rotate_secret": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                partner_id: components["parameters"]["PartnerId"];
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
        post: operations["admin_webhook_endpoints_rotate_secret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/partners/{partner_id}/webhook_endpoints/{endpoint_id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                partner_id: components["parameters"]["PartnerId"];
                endpoint_id: string;
            };
            cookie?: never;
        };
        /**
         * List an endpoint's deliveries
         * @description Newest first, each with its attempts.
         */
        get: operations["admin_webhook_endpoints_deliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/partners/{partner_id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                partner_id: components["parameters"]["PartnerId"];
            };
            cookie?: never;
        };
        /**
         * List events
         * @description The partner's events of the last 30 days, oldest first, for reconciliation.
         */
        get: operations["admin_events_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/partners/{partner_id}/events/{event_id}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                partner_id: components["parameters"]["PartnerId"];
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
        post: operations["admin_events_redeliver"];
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
         * @description `viewer` reads everything; `editor` also changes promotions, accounts, enrollments, usage, webhooks and test clocks; `owner` also partners, secrets, minted tokens, operators and API keys.
         * @enum {string}
         */
        Role: "viewer" | "editor" | "owner";
        /**
         * @description An API key's role: one of the operators' roles (at most its operator's), or `meter`, which may call `POST /admin/v1/usage_events` and `GET /admin/v1/entitlements` and nothing else (CONTRACT §12); only an editor or an owner may hold a meter key, and it works only while its operator is one (demoted to viewer, the key answers 401 like a revoked one).
         * @enum {string}
         */
        KeyRole: "viewer" | "editor" | "owner" | "meter";
        Operator: {
            /** Format: uuid */
            id: string;
            email: string;
            role: components["schemas"]["Role"];
            disabled: boolean;
            disabled_at: components["schemas"]["NullableTimestamp"];
            /** @description True after an owner's reset, until the operator chooses a new password (the console asks for it at sign-in, before any other page). */
            must_change_password: boolean;
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
        };
        OperatorWithPassword: components["schemas"]["Operator"] & {
            /** @description Shown only in this answer; the operator must replace it at the next sign-in. */
            temporary_password: string;
        };
        PasswordChange: {
            current_password: string;
            new_password: string;
        };
        OperatorCreate: {
            /** Format: email */
            email: string;
            password: string;
            role: components["schemas"]["Role"];
        };
        OperatorUpdate: {
            role?: components["schemas"]["Role"];
            /** @description true disables the operator; false enables it again. */
            disabled?: boolean;
        };
        OperatorList: {
            data: components["schemas"]["Operator"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        ApiKey: {
            /** @description The key's public id (the part after `adk_`, before the dot). */
            id: string;
            /** Format: uuid */
            operator_id: string;
            name: string;
            role: components["schemas"]["KeyRole"];
            created_at: components["schemas"]["Timestamp"];
            last_used_at: components["schemas"]["NullableTimestamp"];
            revoked_at: components["schemas"]["NullableTimestamp"];
        };
        ApiKeyWithSecret: components["schemas"]["ApiKey"] & {
            /** @description The key itself, shown only in this answer. */
            key: string;
        };
        ApiKeyCreate: {
            name: string;
            role?: components["schemas"]["KeyRole"];
        };
        ApiKeyList: {
            data: components["schemas"]["ApiKey"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        AuditEntry: {
            /**
             * Format: uuid
             * @description Time-ordered (UUID version 7).
             */
            id: string;
            at: components["schemas"]["Timestamp"];
            actor: {
                /** @enum {string} */
                kind: "admin_token" | "api_key" | "session";
                operator_id: string | null;
                email: string | null;
                api_key_id: string | null;
            };
            /** @description `<object type>.<what happened>`, e.g. `promotion.updated`, `partner.secret_rotated`. */
            action: string;
            object_type: string;
            object_id: string;
            /** @description The changed fields only, each `{before, after}` (`before` is null on creation); never a secret. */
            changes: {
                [key: string]: {
                    before: unknown;
                    after: unknown;
                };
            };
            /** @description The request's `X-Request-Id`. */
            request_id: string;
            /** @enum {string} */
            via: "api" | "console";
        };
        AuditLogList: {
            data: components["schemas"]["AuditEntry"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        PartnerList: {
            data: components["schemas"]["Partner"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /** @description A sandbox partner's test clock (CONTRACT §9), as `/v2/test_helpers` shows it. */
        TestClock: {
            id: string;
            frozen_time: components["schemas"]["Timestamp"];
            name: string | null;
            /** @enum {string} */
            status: "ready" | "advancing";
            created_at: components["schemas"]["Timestamp"];
        };
        TestClockList: {
            data: components["schemas"]["TestClock"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        TestClockAdvance: {
            /** Format: date-time */
            frozen_time: string;
        };
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
        /**
         * Format: date-time
         * @description RFC 3339 UTC, with a `Z` and whole seconds.
         * @example 2026-07-26T23:59:59Z
         */
        Timestamp: string;
        /**
         * Format: date-time
         * @description RFC 3339 UTC, with a `Z` and whole seconds, or null.
         */
        NullableTimestamp: string | null;
        /**
         * @description A promotion id.
         * @example spring_2026
         */
        PromotionSlug: string;
        /** @enum {string} */
        Scope: "promotions:read" | "promotions:write";
        Partner: {
            /** Format: uuid */
            id: string;
            name: string;
            /** @description The OAuth client id. */
            client_id: string;
            /** @description The exact redirect URIs the authorization endpoint accepts. */
            redirect_uris: string[];
            /** @description The scopes the partner may request. */
            scopes: components["schemas"]["Scope"][];
            /** @description A sandbox partner may use test clocks (`/v2/test_helpers`, CONTRACT §9); a live one gets 403 `permission_denied` there. */
            sandbox: boolean;
            /**
             * @description `disabled`: its access tokens get 401 `invalid_token` and its client credentials `invalid_client`, until it is enabled again; its enrollments are kept.
             * @enum {string}
             */
            status: "enabled" | "disabled";
            created_at: components["schemas"]["Timestamp"];
        };
        /** @description At least one field; the fields not given stay as they are. */
        PartnerUpdate: {
            name?: string;
            redirect_uris?: string[];
            scopes?: components["schemas"]["Scope"][];
            /** @enum {string} */
            status?: "enabled" | "disabled";
        };
        PartnerWithSecret: components["schemas"]["Partner"] & {
            /** @description The OAuth client secret. Shown only once, in this response. */
            client_secret: string;
        };
        PartnerCreate: {
            name: string;
            /** @description Absolute http(s) URLs; the authorization endpoint matches them exactly. */
            redirect_uris: string[];
            /**
             * @description The scopes the partner may request. Default both.
             * @default [
             *       "promotions:read",
             *       "promotions:write"
             *     ]
             */
            scopes?: components["schemas"]["Scope"][];
            /**
             * @description `true` gives the partner test clocks (CONTRACT §9): its CI can move time for test accounts attached to a clock. Live partners leave it false.
             * @default false
             */
            sandbox?: boolean;
        };
        Account: {
            /** Format: uuid */
            id: string;
            /** Format: email */
            email: string;
            /** @description The platform's own id of the account (CONTRACT §12), null when unset. */
            external_id: components["schemas"]["ExternalId"] | null;
            created_at: components["schemas"]["Timestamp"];
        };
        AccountCreate: {
            /**
             * Format: email
             * @description Unique, case-insensitively.
             */
            email: string;
            /** @description Used on the OAuth consent page. Stored only as a hash. */
            password: string;
            external_id?: components["schemas"]["ExternalId"];
        };
        /** @description The platform's own id of the account (case-sensitive, unique). */
        ExternalId: string;
        /** @description One usage event. Exactly one of `account_id` and `external_account_id`. An event that breaks this shape is rejected on its own (`invalid_event`); the others of the request are unaffected. */
        UsageEvent: {
            /** @description The platform's event id, printable ASCII, unique across the deployment for at least 35 days. */
            id: string;
            /** Format: uuid */
            account_id?: string;
            external_account_id?: components["schemas"]["ExternalId"];
            /** Format: int32 */
            tasks: number;
            /** @description When the tasks ran; default now. From 35 days before now to 5 minutes after (an account on a test clock: its clock's now). */
            occurred_at?: components["schemas"]["Timestamp"];
        };
        UsageEventBatch: {
            events: components["schemas"]["UsageEvent"][];
        };
        UsageAllocation: {
            enrollment_id: string;
            promotion_id: components["schemas"]["PromotionSlug"];
            /** Format: int32 */
            tasks: number;
        };
        UsageEventError: {
            /** @enum {string} */
            code: "invalid_event" | "account_not_found" | "event_too_old" | "event_in_future" | "event_id_reused";
            title: string;
            detail: string;
            source: {
                pointer: string;
            };
        };
        UsageEventResult: {
            /** @description The event's id as sent (null when it had none). */
            id: string | null;
            /** @enum {string} */
            status: "recorded" | "duplicate" | "rejected";
            /** Format: int32 */
            sponsored: number;
            /** Format: int32 */
            unsponsored: number;
            allocations: components["schemas"]["UsageAllocation"][];
            error?: components["schemas"]["UsageEventError"];
        };
        UsageEventResults: {
            data: components["schemas"]["UsageEventResult"][];
        };
        EntitlementEnrollment: {
            enrollment_id: string;
            promotion_id: components["schemas"]["PromotionSlug"];
            /** Format: int32 */
            task_limit_per_month: number | null;
            /**
             * Format: int32
             * @description Usage in the billing cycle that contains `at`.
             */
            tasks_used_this_month: number;
            /**
             * Format: int32
             * @description What is left of the limit in that cycle; null when unlimited.
             */
            remaining: number | null;
            billing_cycle_start: components["schemas"]["Timestamp"];
            billing_cycle_end: components["schemas"]["Timestamp"];
            expiration_date: components["schemas"]["NullableTimestamp"];
        };
        Entitlement: {
            /** Format: uuid */
            account_id: string;
            external_id: components["schemas"]["ExternalId"] | null;
            at: components["schemas"]["Timestamp"];
            /** Format: int32 */
            sponsored_remaining: number | null;
            enrollments: components["schemas"]["EntitlementEnrollment"][];
        };
        AccountUpdate: {
            /** @description Set, change or (null) clear the platform's id of the account. */
            external_id?: components["schemas"]["ExternalId"] | null;
            /** @description A new password for the consent page (CONTRACT §5), stored only as a hash; the old one stops working at once. The audit log records `account.password_changed`, never the value. */
            password?: string;
        };
        /**
         * @description Enrolling is allowed only while `active` (and inside the window).
         * @enum {string}
         */
        PromotionStatus: "active" | "paused" | "ended";
        Promotion: {
            id: components["schemas"]["PromotionSlug"];
            /**
             * Format: uuid
             * @description The partner that owns the promotion.
             */
            partner_id: string;
            name: string;
            status: components["schemas"]["PromotionStatus"];
            /** @description Enrolling is allowed from this instant; null = no start bound. */
            starts_at: components["schemas"]["NullableTimestamp"];
            /** @description Enrolling is allowed until this instant (exclusive); also caps enrollments' expiration dates. Null = no end bound. */
            ends_at: components["schemas"]["NullableTimestamp"];
            /**
             * Format: int32
             * @description How long an enrollment lasts; null = until `ends_at`, or forever.
             */
            duration_days: number | null;
            /**
             * Format: int32
             * @description Tasks per monthly billing cycle; null = unlimited.
             */
            task_limit_per_month: number | null;
            /**
             * Format: int32
             * @description The most enrollments ever created (a budget, unenrolled ones included); null = unlimited.
             */
            max_enrollments: number | null;
            /** @description Whether an account whose earlier enrollment expired or was unenrolled may enroll again. */
            allow_reenrollment: boolean;
            /**
             * Format: int32
             * @description Enrollments created so far. Read-only.
             */
            enrollments_count: number;
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
        };
        PromotionCreate: {
            id: components["schemas"]["PromotionSlug"];
            /** Format: uuid */
            partner_id: string;
            name: string;
            /** @default active */
            status?: components["schemas"]["PromotionStatus"];
            starts_at?: components["schemas"]["NullableTimestamp"];
            ends_at?: components["schemas"]["NullableTimestamp"];
            /** Format: int32 */
            duration_days?: number | null;
            /** Format: int32 */
            task_limit_per_month?: number | null;
            /** Format: int32 */
            max_enrollments?: number | null;
            /** @default false */
            allow_reenrollment?: boolean;
        };
        /** @description Any of the changeable fields; absent fields are left as they are. */
        PromotionUpdate: {
            name?: string;
            status?: components["schemas"]["PromotionStatus"];
            starts_at?: components["schemas"]["NullableTimestamp"];
            ends_at?: components["schemas"]["NullableTimestamp"];
            /** Format: int32 */
            duration_days?: number | null;
            /** Format: int32 */
            task_limit_per_month?: number | null;
            /** Format: int32 */
            max_enrollments?: number | null;
            allow_reenrollment?: boolean;
        };
        PromotionList: {
            data: components["schemas"]["Promotion"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /** @description Pass as `cursor` to get the next page; null on the last page. */
        NextCursor: string | null;
        /** @enum {string} */
        AdminEnrollmentStatus: "enrolled" | "expired" | "unenrolled";
        AdminEnrollment: {
            enrollment_id: string;
            promotion_id: components["schemas"]["PromotionSlug"];
            /** Format: uuid */
            account_id: string;
            /**
             * Format: uuid
             * @description The partner that created the enrollment.
             */
            partner_id: string;
            status: components["schemas"]["AdminEnrollmentStatus"];
            enrollment_date: components["schemas"]["Timestamp"];
            expiration_date: components["schemas"]["NullableTimestamp"];
            unenrolled_at: components["schemas"]["NullableTimestamp"];
            /** Format: int32 */
            task_limit_per_month: number | null;
            /** Format: int32 */
            tasks_used_this_month: number;
            /** @description Start of the current monthly billing cycle (inclusive). */
            billing_cycle_start: components["schemas"]["Timestamp"];
            /** @description End of the current monthly billing cycle (exclusive). */
            billing_cycle_end: components["schemas"]["Timestamp"];
        };
        AdminEnrollmentList: {
            data: components["schemas"]["AdminEnrollment"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        UsageCreate: {
            /**
             * Format: int32
             * @description Tasks used.
             */
            tasks: number;
            /** @description A repeated key for the same enrollment is counted once. */
            idempotency_key?: string;
            /** @description When the tasks ran; default now. */
            occurred_at?: components["schemas"]["Timestamp"];
        };
        UsageResult: {
            /**
             * Format: int32
             * @description Tasks counted.
             */
            accepted: number;
            /**
             * Format: int32
             * @description Tasks refused because the monthly limit was reached.
             */
            rejected: number;
            /** Format: int32 */
            tasks_used_this_month: number;
            /** Format: int32 */
            task_limit_per_month: number | null;
        };
        /** @description An entry of an enrollment's audit trail: an event of the one event log (the partner's feed and webhooks read the same events), under its audit type and with its own facts. */
        Event: {
            /** @description The event's id (`evt_…`), the same `webhook-id` its deliveries carry. */
            id: string;
            /** @enum {string} */
            type: "enrolled" | "unenrolled" | "expired" | "usage_recorded" | "limit_reached";
            /** @enum {string} */
            actor_type: "partner" | "admin" | "system";
            /** @description The partner's id for partner actions; null for admin and system. */
            actor_id: string | null;
            /** @description Details of the event; their shape depends on `type`. */
            data: Record<string, never>;
            created_at: components["schemas"]["Timestamp"];
        };
        EventList: {
            data: components["schemas"]["Event"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        TokenCreate: {
            /** @description The partner the token is issued to. */
            client_id: string;
            /**
             * Format: uuid
             * @description For a user token; omit for an app token.
             */
            account_id?: string;
            /** @description Space-separated scopes, e.g. `promotions:read promotions:write`. */
            scope: string;
        };
        TokenResponse: {
            access_token: string;
            /** @enum {string} */
            token_type: "Bearer";
            /**
             * Format: int32
             * @description Lifetime of the access token in seconds.
             */
            expires_in: number;
            /** @description The granted scopes, space-separated. */
            scope: string;
            /** @description Only with user tokens. */
            refresh_token?: string;
        };
        BootstrapApply: {
            document: components["schemas"]["BootstrapDocument"];
            /**
             * @description Plan only (`apply --plan`): the same answer, nothing changed.
             * @default false
             */
            dry_run?: boolean;
        };
        /** @description The bootstrap file (`openapi/seed.schema.json`) with each secret resolved: `client_secret`, `password` and `secret` instead of the `…_env` variable names. */
        BootstrapDocument: {
            /**
             * @description Remove what the document does not name (see the operation).
             * @default false
             */
            prune?: boolean;
            partners?: components["schemas"]["BootstrapPartner"][];
            accounts?: components["schemas"]["BootstrapAccount"][];
            promotions?: components["schemas"]["BootstrapPromotion"][];
            webhook_endpoints?: components["schemas"]["BootstrapWebhookEndpoint"][];
        };
        BootstrapPartner: {
            /** @description Identifies the partner. 3–64 unreserved characters, starting with a letter or digit, never `ci_…` (the prefix of generated client ids). */
            client_id: string;
            name: string;
            /** @description 16–200 printable ASCII characters; stored only as an scrypt hash. */
            client_secret: string;
            redirect_uris: string[];
            /** @description Default both scopes. */
            scopes?: components["schemas"]["Scope"][];
            /** @default false */
            sandbox?: boolean;
            /**
             * @description `disabled` switches the partner off as `PATCH /admin/v1/partners/{id}` does: its tokens and client credentials are refused, its enrollments kept.
             * @default enabled
             * @enum {string}
             */
            status?: "enabled" | "disabled";
        };
        BootstrapAccount: {
            /** Format: email */
            email: string;
            password: string;
            /** @description The platform's own id of the account (CONTRACT §12). null clears it; left out, it is left as it is. Another account holding it is a `bootstrap_conflict`. */
            external_id?: components["schemas"]["ExternalId"] | null;
        };
        BootstrapPromotion: {
            id: components["schemas"]["PromotionSlug"];
            /** @description The `client_id` of its partner (declared, or already in the database). */
            partner: string;
            name: string;
            status?: components["schemas"]["PromotionStatus"];
            /**
             * Format: date-time
             * @description RFC 3339 (kept to the whole second); null or absent, no start.
             */
            starts_at?: string | null;
            /**
             * Format: date-time
             * @description RFC 3339; null or absent, no end. On an ended promotion an absent or later `ends_at` keeps the instant it ended (rule 10).
             */
            ends_at?: string | null;
            /** Format: int32 */
            duration_days?: number | null;
            /** Format: int32 */
            task_limit_per_month?: number | null;
            /** Format: int32 */
            max_enrollments?: number | null;
            /** @default false */
            allow_reenrollment?: boolean;
        };
        BootstrapWebhookEndpoint: {
            /** @description The `client_id` of its partner. */
            partner: string;
            /** Format: uri */
            url: string;
            event_types?: components["schemas"]["WebhookEventType"][];
            description?: string | null;
            /**
             * @default enabled
             * @enum {string}
             */
            status?: "enabled" | "disabled";
            /** @description `whsec_` + base64 of 24–64 random bytes. */
            secret: string;
        };
        BootstrapChange: {
            /** @enum {string} */
            kind: "partner" | "account" | "promotion" | "webhook_endpoint";
            /** @description How the document names it: client_id, email, promotion id, or "<client_id> <url>". */
            key: string;
            /** @description `promotions[2]` for a declared object; null for one only `prune` touches. */
            path: string | null;
            /** @enum {string} */
            outcome: "created" | "updated" | "unchanged" | "deleted" | "ended" | "kept";
            /** @description The fields an update changes (secrets by field name only). */
            fields: string[];
            /** @description Why `prune` ends or keeps it. */
            detail: string | null;
        };
        BootstrapResult: {
            dry_run: boolean;
            changes: components["schemas"]["BootstrapChange"][];
            summary: {
                /** Format: int32 */
                created: number;
                /** Format: int32 */
                updated: number;
                /** Format: int32 */
                unchanged: number;
                /** Format: int32 */
                deleted: number;
                /** Format: int32 */
                ended: number;
                /** Format: int32 */
                kept: number;
            };
        };
        HealthStatus: {
            /** @enum {string} */
            status: "ok";
        };
        Liveness: {
            /** @enum {string} */
            status: "ok";
            /**
             * @description The server's release (package.json `version`).
             * @example 0.1.0
             */
            version: string;
            /**
             * @description `git describe --tags --always --dirty` of the source it was built from (baked into the image by the `GIT_DESCRIBE` build argument); null when unknown.
             * @example v0.1.0-12-g62b1bfb
             */
            build: string | null;
        };
        /** @description The error envelope, the same as the public API's `PromotionErrorResponse`. */
        ErrorResponse: {
            /** @description Errors encountered processing the request */
            errors: components["schemas"]["Error"][];
        };
        /** @description The same as the public API's `PromotionError`. */
        Error: {
            /** @description HTTP status code of the error */
            status: string;
            /** @description Machine-readable error code */
            code: string;
            /** @description Human-readable error title */
            title: string;
            /** @description Detailed description of the error */
            detail: string;
            source?: {
                /** @description A JSON Pointer (RFC 6901) into the request body. */
                pointer?: string;
                /** @description The name of the offending query or path parameter. */
                parameter?: string;
                /** @description The name of the offending request header. */
                header?: string;
            };
        };
    };
    responses: {
        /** @description The caller's role is below the one the operation needs (`permission_denied`, CONTRACT §11); the detail names both. The operation's `x-required-role` says which role it needs. A `meter` API key gets it on every operation not marked `x-meter: true` (CONTRACT §12). */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description No such operator (`operator_not_found`) */
        OperatorNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description No such partner, or no such test clock of it (`partner_not_found`, `test_clock_not_found`) */
        TestClockOrPartnerNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The body is not valid JSON or breaks the schema, or a parameter is invalid (`invalid_request`); `source` points at the culprit. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description No admin token or API key, a wrong one, or a revoked key or disabled operator (`not_authenticated`). */
        Unauthorized: {
            headers: {
                "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description No such partner (`partner_not_found`) */
        PartnerNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description No such account (`account_not_found`) */
        AccountNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description No such promotion (`promotion_not_found`) */
        PromotionNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description No such enrollment (`enrollment_not_found`) */
        EnrollmentNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The body is over 16 KiB (`payload_too_large`) */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The body is not `application/json` (`unsupported_media_type`) */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The client IP's hourly limit is spent (`rate_limited`) */
        RateLimited: {
            headers: {
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description An unexpected failure (`internal_error`). Nothing was changed; the body never carries internal details. */
        InternalError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The database is unreachable or the process is overloaded (`service_unavailable`). Wait `Retry-After` seconds. */
        ServiceUnavailable: {
            headers: {
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The admin API is disabled because no `ADMIN_TOKEN` is configured (`admin_disabled`), or the service is unavailable (`service_unavailable`, with `Retry-After`). */
        AdminUnavailable: {
            headers: {
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
    };
    parameters: {
        OperatorId: string;
        TestClockId: string;
        PartnerId: string;
        AccountId: string;
        PromotionId: components["schemas"]["PromotionSlug"];
        /**
         * @description `<promotion_id>:<uuid>`, as returned by `POST /v2/promotions`.
         * @example spring_2026:9f6c2b1e-3d4a-4b5c-8d7e-1f2a3b4c5d6e
         */
        EnrollmentId: string;
        /** @description Page size. */
        Limit: number;
        /** @description The `next_cursor` of the previous page. Opaque. */
        Cursor: string;
    };
    requestBodies: never;
    headers: {
        /**
         * @description An attachment and its file name (`<promotion>-enrollments-<date>.csv`, `<promotion>-usage-<cycle or date>.ndjson`, …).
         * @example attachment; filename="spring_2026-enrollments-2026-12-06.csv"
         */
        "Content-Disposition": string;
        /** @description Never cached. */
        NoStore: "no-store";
        /**
         * @description The path of the created resource.
         * @example /admin/v1/promotions/spring_2026
         */
        Location: string;
        /**
         * @description Seconds to wait before retrying.
         * @example 60
         */
        "Retry-After": number;
        /** @description The authentication challenge, e.g. `Bearer realm="admin"`. */
        "WWW-Authenticate": string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    admin_partners_list: {
        parameters: {
            query?: {
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                /** @description The `next_cursor` of the previous page. Opaque. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of partners */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PartnerList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_partners_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PartnerCreate"];
            };
        };
        responses: {
            /** @description The partner, with its client secret (shown only here) */
            201: {
                headers: {
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PartnerWithSecret"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_partners_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                partner_id: components["parameters"]["PartnerId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The partner */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Partner"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["PartnerNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_partners_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                partner_id: components["parameters"]["PartnerId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PartnerUpdate"];
            };
        };
        responses: {
            /** @description The partner as it now is */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Partner"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["PartnerNotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_accounts_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AccountCreate"];
            };
        };
        responses: {
            /** @description The account */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description An account with this email exists (`email_taken`), or with this external id (`external_id_taken`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_accounts_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                account_id: components["parameters"]["AccountId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The account */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["AccountNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_accounts_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                account_id: components["parameters"]["AccountId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AccountUpdate"];
            };
        };
        responses: {
            /** @description The account */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["AccountNotFound"];
            /** @description Another account has this external id (`external_id_taken`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_promotions_list: {
        parameters: {
            query?: {
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                /** @description The `next_cursor` of the previous page. Opaque. */
                cursor?: components["parameters"]["Cursor"];
                /** @description Only the promotions of this partner. */
                partner_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of promotions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_promotions_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PromotionCreate"];
            };
        };
        responses: {
            /** @description The promotion */
            201: {
                headers: {
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Promotion"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["PartnerNotFound"];
            /** @description A promotion with this id exists (`promotion_exists`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_promotions_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                promotion_id: components["parameters"]["PromotionId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The promotion */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Promotion"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["PromotionNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_promotions_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                promotion_id: components["parameters"]["PromotionId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PromotionUpdate"];
            };
        };
        responses: {
            /** @description The changed promotion */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Promotion"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["PromotionNotFound"];
            /** @description `max_enrollments` would be below the enrollments already made (`max_enrollments_below_count`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_promotion_enrollments_list: {
        parameters: {
            query?: {
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                /** @description The `next_cursor` of the previous page. Opaque. */
                cursor?: components["parameters"]["Cursor"];
                /** @description Only the enrollments in this status. */
                status?: components["schemas"]["AdminEnrollmentStatus"];
            };
            header?: never;
            path: {
                promotion_id: components["parameters"]["PromotionId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of enrollments */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminEnrollmentList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["PromotionNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_promotion_enrollments_export_csv: {
        parameters: {
            query?: {
                /** @description Only the enrollments in this status. */
                status?: components["schemas"]["AdminEnrollmentStatus"];
            };
            header?: never;
            path: {
                promotion_id: components["parameters"]["PromotionId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The whole export, streamed (`Transfer-Encoding: chunked`) */
            200: {
                headers: {
                    "Content-Disposition": components["headers"]["Content-Disposition"];
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description A `status` that is not one of the documented values (`invalid_request`, `source.parameter` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["PromotionNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_promotion_enrollments_export_ndjson: {
        parameters: {
            query?: {
                /** @description Only the enrollments in this status. */
                status?: components["schemas"]["AdminEnrollmentStatus"];
            };
            header?: never;
            path: {
                promotion_id: components["parameters"]["PromotionId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The whole export, streamed (`Transfer-Encoding: chunked`) */
            200: {
                headers: {
                    "Content-Disposition": components["headers"]["Content-Disposition"];
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/x-ndjson": string;
                };
            };
            /** @description A `status` that is not one of the documented values (`invalid_request`, `source.parameter` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["PromotionNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_promotion_usage_export_csv: {
        parameters: {
            query?: {
                /**
                 * @description Only the billing cycles that start in this calendar month (UTC), as `YYYY-MM`.
                 * @example 2026-11
                 */
                cycle?: string;
            };
            header?: never;
            path: {
                promotion_id: components["parameters"]["PromotionId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The whole export, streamed (`Transfer-Encoding: chunked`) */
            200: {
                headers: {
                    "Content-Disposition": components["headers"]["Content-Disposition"];
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description A `cycle` that is not a month as `YYYY-MM` (`invalid_request`, `source.parameter` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["PromotionNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_promotion_usage_export_ndjson: {
        parameters: {
            query?: {
                /**
                 * @description Only the billing cycles that start in this calendar month (UTC), as `YYYY-MM`.
                 * @example 2026-11
                 */
                cycle?: string;
            };
            header?: never;
            path: {
                promotion_id: components["parameters"]["PromotionId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The whole export, streamed (`Transfer-Encoding: chunked`) */
            200: {
                headers: {
                    "Content-Disposition": components["headers"]["Content-Disposition"];
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/x-ndjson": string;
                };
            };
            /** @description A `cycle` that is not a month as `YYYY-MM` (`invalid_request`, `source.parameter` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["PromotionNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_enrollment_usage_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description `<promotion_id>:<uuid>`, as returned by `POST /v2/promotions`.
                 * @example spring_2026:9f6c2b1e-3d4a-4b5c-8d7e-1f2a3b4c5d6e
                 */
                enrollment_id: components["parameters"]["EnrollmentId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UsageCreate"];
            };
        };
        responses: {
            /** @description How much of the batch was accepted */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsageResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["EnrollmentNotFound"];
            /** @description The enrollment is expired or unenrolled (`enrollment_not_active`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_enrollment_events_list: {
        parameters: {
            query?: {
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                /** @description The `next_cursor` of the previous page. Opaque. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path: {
                /**
                 * @description `<promotion_id>:<uuid>`, as returned by `POST /v2/promotions`.
                 * @example spring_2026:9f6c2b1e-3d4a-4b5c-8d7e-1f2a3b4c5d6e
                 */
                enrollment_id: components["parameters"]["EnrollmentId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["EnrollmentNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_usage_events_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UsageEventBatch"];
            };
        };
        responses: {
            /** @description One result per event, in request order */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsageEventResults"];
                };
            };
            /** @description The body is not `{"events": [...]}` with 1 to 1,000 events (`invalid_request`); nothing was counted. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_entitlements_retrieve: {
        parameters: {
            query?: {
                account_id?: string;
                external_account_id?: components["schemas"]["ExternalId"];
                at?: components["schemas"]["Timestamp"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The account's entitlement */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Entitlement"];
                };
            };
            /** @description Neither or both of `account_id` and `external_account_id`, or a malformed value (`invalid_request`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["AccountNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_tokens_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenCreate"];
            };
        };
        responses: {
            /** @description The token */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            /** @description The body is invalid (`invalid_request`), or the scope is not allowed for the partner (`invalid_scope`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No partner with this `client_id` (`partner_not_found`), or no account with this `account_id` (`account_not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_partners_rotate_secret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                partner_id: components["parameters"]["PartnerId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The partner with its new client secret (shown only here) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PartnerWithSecret"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["PartnerNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_test_clocks_list: {
        parameters: {
            query?: {
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                /** @description The `next_cursor` of the previous page. Opaque. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path: {
                partner_id: components["parameters"]["PartnerId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of test clocks */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TestClockList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["PartnerNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_test_clocks_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                partner_id: components["parameters"]["PartnerId"];
                test_clock_id: components["parameters"]["TestClockId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The test clock */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TestClock"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["TestClockOrPartnerNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_test_clocks_advance: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                partner_id: components["parameters"]["PartnerId"];
                test_clock_id: components["parameters"]["TestClockId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TestClockAdvance"];
            };
        };
        responses: {
            /** @description The clock, ready at its new time */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TestClock"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["TestClockOrPartnerNotFound"];
            /** @description Another advance of this clock is running (`test_clock_advancing`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_operators_list: {
        parameters: {
            query?: {
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                /** @description The `next_cursor` of the previous page. Opaque. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of operators */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OperatorList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_operators_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OperatorCreate"];
            };
        };
        responses: {
            /** @description The operator */
            201: {
                headers: {
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Operator"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description An operator with this email exists (`email_taken`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_operators_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                operator_id: components["parameters"]["OperatorId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The operator */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Operator"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["OperatorNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_operators_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                operator_id: components["parameters"]["OperatorId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OperatorUpdate"];
            };
        };
        responses: {
            /** @description The operator */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Operator"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["OperatorNotFound"];
            /** @description The change would leave no enabled owner (`last_owner`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_operators_reset_password: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                operator_id: components["parameters"]["OperatorId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The operator, with its temporary password (shown only here) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OperatorWithPassword"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["OperatorNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_operators_change_own_password: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordChange"];
            };
        };
        responses: {
            /** @description The operator */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Operator"];
                };
            };
            /** @description The body is invalid (`invalid_request`), the current password is wrong, or the new one is the same */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            /** @description ADMIN_TOKEN called (it has no password), or the role is too low */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_api_keys_list: {
        parameters: {
            query?: {
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                /** @description The `next_cursor` of the previous page. Opaque. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path: {
                operator_id: components["parameters"]["OperatorId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of keys */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["OperatorNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_api_keys_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                operator_id: components["parameters"]["OperatorId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApiKeyCreate"];
            };
        };
        responses: {
            /** @description The key with its value (shown only here) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyWithSecret"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["OperatorNotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_api_keys_destroy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                operator_id: components["parameters"]["OperatorId"];
                key_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such operator, or no live key of it (`operator_not_found`, `api_key_not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_audit_log_list: {
        parameters: {
            query?: {
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                /** @description The `next_cursor` of the previous page. Opaque. */
                cursor?: components["parameters"]["Cursor"];
                /** @description An operator's id or email, or `admin_token`. */
                actor?: string;
                /** @description e.g. `promotion.updated`. */
                action?: string;
                /** @description e.g. `promotion`, `partner`, `enrollment`, `webhook_endpoint`, `operator`. */
                object_type?: string;
                object_id?: string;
                /** @description Entries at or after this instant. */
                since?: string;
                /** @description Entries before this instant. */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of entries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditLogList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_bootstrap_apply: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BootstrapApply"];
            };
        };
        responses: {
            /** @description What was done (or with `dry_run`, what would be), per object */
            200: {
                headers: {
                    /** @description `no-store` */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BootstrapResult"];
                };
            };
            /** @description The document breaks the schema (`invalid_request`): one error per problem, each `detail` naming the object and the field, `source.pointer` into the body. Nothing was changed. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description The document is valid but this database cannot take it (`bootstrap_conflict`): a promotion owned by another partner, a partner named that exists nowhere, an email of a test-clock account, a `max_enrollments` below the enrollments made, a webhook URL the SSRF rule refuses. One error per problem; nothing was changed. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The body is over 1 MiB (`payload_too_large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    ops_healthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is up */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Liveness"];
                };
            };
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    ops_readyz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready to serve */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthStatus"];
                };
            };
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    ops_metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metrics */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    ops_openapi_json: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        openapi: string;
                    };
                };
            };
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    ops_openapi_yaml: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/yaml": string;
                    "text/yaml": string;
                };
            };
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    ops_docs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The reference page */
            200: {
                headers: {
                    /** @description Scripts from this origin and the hash of the bootstrap script only. */
                    "Content-Security-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description `/docs` redirects to `/docs/`, so the bundle's relative URL resolves. */
            301: {
                headers: {
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            500: components["responses"]["InternalError"];
        };
    };
    admin_webhook_endpoints_list: {
        parameters: {
            query?: {
                /** @description Page size (1-100). */
                limit?: number;
                /** @description The `next_cursor` of the previous page. */
                cursor?: string;
            };
            header?: never;
            path: {
                partner_id: components["parameters"]["PartnerId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of endpoints */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpointList"];
                };
            };
            /** @description Bad Request - invalid body, parameter or cursor, an unknown event type, or a URL that is not https:// or resolves to a private address (`invalid_request`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Not Found - no such partner, or no such endpoint or event of it (`partner_not_found`, `webhook_endpoint_not_found`, `event_not_found`). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_webhook_endpoints_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                partner_id: components["parameters"]["PartnerId"];
            };
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
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpointWithSecret"];
                };
            };
            /** @description Bad Request - invalid body, parameter or cursor, an unknown event type, or a URL that is not https:// or resolves to a private address (`invalid_request`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Not Found - no such partner, or no such endpoint or event of it (`partner_not_found`, `webhook_endpoint_not_found`, `event_not_found`). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_webhook_endpoints_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                partner_id: components["parameters"]["PartnerId"];
                endpoint_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoint */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpoint"];
                };
            };
            /** @description Bad Request - invalid body, parameter or cursor, an unknown event type, or a URL that is not https:// or resolves to a private address (`invalid_request`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Not Found - no such partner, or no such endpoint or event of it (`partner_not_found`, `webhook_endpoint_not_found`, `event_not_found`). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_webhook_endpoints_destroy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                partner_id: components["parameters"]["PartnerId"];
                endpoint_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad Request - invalid body, parameter or cursor, an unknown event type, or a URL that is not https:// or resolves to a private address (`invalid_request`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Not Found - no such partner, or no such endpoint or event of it (`partner_not_found`, `webhook_endpoint_not_found`, `event_not_found`). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_webhook_endpoints_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                partner_id: components["parameters"]["PartnerId"];
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
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpoint"];
                };
            };
            /** @description Bad Request - invalid body, parameter or cursor, an unknown event type, or a URL that is not https:// or resolves to a private address (`invalid_request`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Not Found - no such partner, or no such endpoint or event of it (`partner_not_found`, `webhook_endpoint_not_found`, `event_not_found`). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_webhook_endpoints_rotate_secret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                partner_id: components["parameters"]["PartnerId"];
                endpoint_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new secret (shown only here) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookSecret"];
                };
            };
            /** @description Bad Request - invalid body, parameter or cursor, an unknown event type, or a URL that is not https:// or resolves to a private address (`invalid_request`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Not Found - no such partner, or no such endpoint or event of it (`partner_not_found`, `webhook_endpoint_not_found`, `event_not_found`). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_webhook_endpoints_deliveries: {
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
                partner_id: components["parameters"]["PartnerId"];
                endpoint_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of deliveries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryList"];
                };
            };
            /** @description Bad Request - invalid body, parameter or cursor, an unknown event type, or a URL that is not https:// or resolves to a private address (`invalid_request`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Not Found - no such partner, or no such endpoint or event of it (`partner_not_found`, `webhook_endpoint_not_found`, `event_not_found`). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_events_list: {
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
            path: {
                partner_id: components["parameters"]["PartnerId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEventList"];
                };
            };
            /** @description Bad Request - invalid body, parameter or cursor, an unknown event type, or a URL that is not https:// or resolves to a private address (`invalid_request`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Not Found - no such partner, or no such endpoint or event of it (`partner_not_found`, `webhook_endpoint_not_found`, `event_not_found`). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    admin_events_redeliver: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                partner_id: components["parameters"]["PartnerId"];
                event_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookRedelivery"];
                };
            };
            /** @description Bad Request - invalid body, parameter or cursor, an unknown event type, or a URL that is not https:// or resolves to a private address (`invalid_request`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Not Found - no such partner, or no such endpoint or event of it (`partner_not_found`, `webhook_endpoint_not_found`, `event_not_found`). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            500: components["responses"]["InternalError"];
            503: components["responses"]["AdminUnavailable"];
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
export const pathsAdminV1PartnersPartner_idWebhook_endpointsEndpoint_idDeliveriesGetParametersQueryStatusValues: ReadonlyArray<FlattenedDeepRequired<paths>["/admin/v1/partners/{partner_id}/webhook_endpoints/{endpoint_id}/deliveries"]["get"]["parameters"]["query"]["status"]> = ["pending", "succeeded", "failed", "cancelled"];
export const roleValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Role"]> = ["viewer", "editor", "owner"];
export const keyRoleValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["KeyRole"]> = ["viewer", "editor", "owner", "meter"];
export const auditEntryActorKindValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["AuditEntry"]["actor"]["kind"]> = ["admin_token", "api_key", "session"];
export const auditEntryViaValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["AuditEntry"]["via"]> = ["api", "console"];
export const testClockStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TestClock"]["status"]> = ["ready", "advancing"];
export const webhookEventTypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["WebhookEventType"]> = ["enrollment.created", "enrollment.unenrolled", "enrollment.expired", "usage.threshold_reached", "usage.limit_reached", "promotion.ended"];
export const webhookEndpointUpdateStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["WebhookEndpointUpdate"]["status"]> = ["enabled", "disabled"];
export const webhookEndpointStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["WebhookEndpoint"]["status"]> = ["enabled", "disabled"];
export const webhookDeliveryStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["WebhookDelivery"]["status"]> = ["pending", "succeeded", "failed", "cancelled"];
export const scopeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Scope"]> = ["promotions:read", "promotions:write"];
export const partnerStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Partner"]["status"]> = ["enabled", "disabled"];
export const partnerUpdateStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["PartnerUpdate"]["status"]> = ["enabled", "disabled"];
export const usageEventErrorCodeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["UsageEventError"]["code"]> = ["invalid_event", "account_not_found", "event_too_old", "event_in_future", "event_id_reused"];
export const usageEventResultStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["UsageEventResult"]["status"]> = ["recorded", "duplicate", "rejected"];
export const promotionStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["PromotionStatus"]> = ["active", "paused", "ended"];
export const adminEnrollmentStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["AdminEnrollmentStatus"]> = ["enrolled", "expired", "unenrolled"];
export const eventTypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Event"]["type"]> = ["enrolled", "unenrolled", "expired", "usage_recorded", "limit_reached"];
export const eventActor_typeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Event"]["actor_type"]> = ["partner", "admin", "system"];
export const tokenResponseToken_typeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TokenResponse"]["token_type"]> = ["Bearer"];
export const bootstrapPartnerStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["BootstrapPartner"]["status"]> = ["enabled", "disabled"];
export const bootstrapWebhookEndpointStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["BootstrapWebhookEndpoint"]["status"]> = ["enabled", "disabled"];
export const bootstrapChangeKindValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["BootstrapChange"]["kind"]> = ["partner", "account", "promotion", "webhook_endpoint"];
export const bootstrapChangeOutcomeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["BootstrapChange"]["outcome"]> = ["created", "updated", "unchanged", "deleted", "ended", "kept"];
export const healthStatusStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["HealthStatus"]["status"]> = ["ok"];
export const livenessStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Liveness"]["status"]> = ["ok"];
export const componentsHeadersNoStoreValues: ReadonlyArray<FlattenedDeepRequired<components>["headers"]["NoStore"]> = ["no-store"];
