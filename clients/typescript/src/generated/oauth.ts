// Generated from openapi/oauth.yaml by openapi-typescript: do not edit.
// Regenerate with `npm run client:generate`; `npm run client:check` fails on drift.

export interface paths {
    "/.well-known/oauth-authorization-server": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Authorization server metadata
         * @description RFC 8414 metadata. Endpoint URLs are absolute, based on `PUBLIC_URL`.
         */
        get: operations["oauth_metadata"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/authorize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Login and consent page
         * @description Renders an HTML page naming the partner and the requested scopes: a form
         *     (`method="POST"`, `action="/oauth/authorize"`) carrying the request in hidden
         *     inputs plus a CSRF token, inputs `email` and `password`, and submit buttons
         *     `name="decision"` with `value="approve"` and `value="deny"`.
         *
         *     An unknown client or a `redirect_uri` that does not exactly match a
         *     registered one shows an error page (400) and never redirects. Other errors
         *     in a request whose client and redirect URI are good (missing PKCE, bad
         *     `response_type`, invalid scope) redirect back with `error` and `state`
         *     (RFC 6749 §4.1.2.1).
         */
        get: operations["oauth_authorize_page"];
        put?: never;
        /**
         * Submit the login and consent page
         * @description The form post of the consent page.
         *
         *     - Approve with good credentials: 303 See Other to
         *       `redirect_uri?code=…&state=…&iss=…`. The code is single-use and valid for
         *       2 minutes. 303, not 302 or 307: the browser follows with a GET and never
         *       re-posts the email and password to the client.
         *     - Deny: 303 to `redirect_uri?error=access_denied&state=…&iss=…`.
         *     - Bad credentials: the page again with a message, status 401, no redirect.
         *     - Too many bad passwords for the email (5) or from the client IP (20) within
         *       15 minutes: the page again with a message, status 429 and `Retry-After`;
         *       the password is not checked until the window has passed.
         *     - A missing, expired (30 minutes) or wrong CSRF token, or a post from a
         *       browser without the page's `oauth_csrf` cookie: 403 error page.
         *     - The request is validated again as on `GET`: an unknown client or
         *       redirect URI gives the 400 error page, other errors redirect (303).
         *     - Every redirect carries `iss`, the issuer (RFC 9207).
         */
        post: operations["oauth_authorize_submit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/authorize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Login and consent page (Zapier-style alias)
         * @description An alias of `GET /oauth/authorize`, as on Zapier.
         */
        get: operations["v2_authorize_page"];
        put?: never;
        /**
         * Submit the login and consent page (Zapier-style alias)
         * @description An alias of `POST /oauth/authorize`, as on Zapier.
         */
        post: operations["v2_authorize_submit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Token endpoint
         * @description RFC 6749 §3.2. The client authenticates with HTTP Basic or with `client_id`
         *     and `client_secret` in the body.
         *
         *     - `grant_type=client_credentials` (+ optional `scope`): an app token.
         *     - `grant_type=authorization_code` (+ `code`, `redirect_uri`,
         *       `code_verifier`): a user token and a refresh token. The code is spent by
         *       the first exchange that reaches it, even one with a wrong `redirect_uri` or
         *       `code_verifier`; presenting it again answers `invalid_grant` and revokes
         *       every token it issued.
         *     - `grant_type=refresh_token` (+ `refresh_token`, optional narrower `scope`):
         *       a new pair; the old refresh token dies, and reusing a dead one revokes the
         *       whole family (every refresh and access token of that authorization).
         *       A narrower `scope` narrows the new access token only; a wider one answers
         *       `invalid_scope`. Refresh tokens live 30 days from their issue.
         *
         *     The endpoint is rate limited per client IP, so secrets cannot be brute-forced.
         */
        post: operations["oauth_token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Token revocation
         * @description RFC 7009. The token stops working at once; revoking a refresh token also revokes the access tokens issued from it. Unknown tokens and tokens of other clients answer 200 as well, so nothing leaks.
         */
        post: operations["oauth_revoke"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/introspect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Token introspection
         * @description RFC 7662, client-authenticated. A partner learns only about its own tokens: an unknown, expired or revoked token, or one of another client, answers `{"active": false}`.
         */
        post: operations["oauth_introspect"];
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
        /** @description RFC 8414 §2. */
        AuthorizationServerMetadata: {
            /** Format: uri */
            issuer: string;
            /** Format: uri */
            authorization_endpoint: string;
            /** Format: uri */
            token_endpoint: string;
            /** Format: uri */
            revocation_endpoint?: string;
            /** Format: uri */
            introspection_endpoint?: string;
            scopes_supported?: string[];
            response_types_supported: string[];
            response_modes_supported?: string[];
            grant_types_supported?: string[];
            token_endpoint_auth_methods_supported?: string[];
            revocation_endpoint_auth_methods_supported?: string[];
            introspection_endpoint_auth_methods_supported?: string[];
            code_challenge_methods_supported?: string[];
            /** @description RFC 9207: every authorization response (a code or an error) carries `iss`, equal to `issuer`. */
            authorization_response_iss_parameter_supported?: boolean;
            /** Format: uri */
            service_documentation?: string;
        };
        /** @description What the consent page posts: the authorization request carried in hidden inputs, the CSRF token, the user's credentials and the decision. */
        AuthorizeForm: {
            /** @enum {string} */
            response_type?: "code";
            client_id: string;
            redirect_uri: string;
            scope?: string;
            state?: string;
            code_challenge?: string;
            /** @enum {string} */
            code_challenge_method?: "S256";
            /** @description The anti-CSRF token rendered into the page. */
            csrf_token?: string;
            email?: string;
            password?: string;
            /** @enum {string} */
            decision: "approve" | "deny";
        };
        TokenRequest: {
            /** @enum {string} */
            grant_type: "authorization_code" | "client_credentials" | "refresh_token";
            /** @description Space-separated scopes. */
            scope?: string;
            /** @description For `authorization_code`. */
            code?: string;
            /** @description For `authorization_code`; the one used on the authorization request. */
            redirect_uri?: string;
            /** @description For `authorization_code`; the PKCE verifier (RFC 7636). */
            code_verifier?: string;
            /** @description For `refresh_token`. */
            refresh_token?: string;
            /** @description When the client does not use HTTP Basic. */
            client_id?: string;
            /** @description When the client does not use HTTP Basic. */
            client_secret?: string;
        };
        TokenForm: {
            token: string;
            /** @enum {string} */
            token_type_hint?: "access_token" | "refresh_token";
            /** @description When the client does not use HTTP Basic. */
            client_id?: string;
            /** @description When the client does not use HTTP Basic. */
            client_secret?: string;
        };
        /** @description RFC 6749 §5.1. */
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
            /** @description With user tokens (authorization code and refresh grants). */
            refresh_token?: string;
        };
        /** @description RFC 7662 §2.2. Only `active` when the token is not active. */
        IntrospectionResponse: {
            active: boolean;
            scope?: string;
            client_id?: string;
            /**
             * @description `Bearer` for access tokens, `refresh_token` for refresh tokens.
             * @enum {string}
             */
            token_type?: "Bearer" | "refresh_token";
            /**
             * Format: int64
             * @description Expiry, in UTC epoch seconds.
             */
            exp?: number;
            /**
             * Format: int64
             * @description Issue time, in UTC epoch seconds.
             */
            iat?: number;
            /** @description The account id, for user tokens. */
            sub?: string;
            aud?: string | string[];
            iss?: string;
        };
        /** @description RFC 6749 §5.2. */
        OAuthError: {
            /** @enum {string} */
            error: "invalid_request" | "invalid_client" | "invalid_grant" | "unauthorized_client" | "unsupported_grant_type" | "invalid_scope" | "temporarily_unavailable";
            error_description?: string;
        };
        /** @description The server's error envelope, the same as the public API's `PromotionErrorResponse`. */
        ErrorResponse: {
            errors: components["schemas"]["Error"][];
        };
        Error: {
            status: string;
            code: string;
            title: string;
            detail: string;
            source?: {
                pointer?: string;
                parameter?: string;
                header?: string;
            };
        };
    };
    responses: {
        /** @description The login and consent page. Served with `Content-Security-Policy` (`default-src 'none'`, no script, `form-action` limited to this server and the redirect URI's origin, `frame-ancestors 'none'`), `X-Frame-Options: DENY`, `Referrer-Policy: no-referrer` and `Cache-Control: no-store`, like every page of this endpoint. */
        AuthorizePage: {
            headers: {
                /** @description `oauth_csrf`, the browser's CSRF nonce (HttpOnly, SameSite=Lax, 30 minutes), set when the browser has none yet. The form's `csrf_token` is bound to it and to the request fields. */
                "Set-Cookie"?: string;
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "Cache-Control": components["headers"]["Cache-Control"];
                [name: string]: unknown;
            };
            content: {
                "text/html": string;
            };
        };
        /** @description An error page: unknown client, `redirect_uri` mismatch, or another request error that cannot be redirected. Never redirects. */
        AuthorizeErrorPage: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "text/html": string;
            };
        };
        /** @description The request names a good client and redirect URI but is otherwise invalid: redirected to `redirect_uri?error=…&error_description=…&state=…&iss=…` (`invalid_request`, `unsupported_response_type`, `invalid_scope`); `iss` is the issuer (RFC 9207). */
        AuthorizeErrorRedirect: {
            headers: {
                Location: components["headers"]["Location"];
                [name: string]: unknown;
            };
            content?: never;
        };
        /** @description 303 See Other. Approved: `redirect_uri?code=…&state=…&iss=…`. Denied: `redirect_uri?error=access_denied&state=…&iss=…`. `iss` is the issuer (RFC 9207): a client checks it before redeeming the code. */
        AuthorizeDecisionRedirect: {
            headers: {
                Location: components["headers"]["Location"];
                [name: string]: unknown;
            };
            content?: never;
        };
        /** @description Bad email or password; the page again with a message. No redirect. */
        AuthorizeBadCredentials: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "text/html": string;
            };
        };
        /** @description Too many failed sign-ins for this email or from this IP: the consent page again (`text/html`) with a message. The per-IP request limit of the server, when it applies, answers with the JSON envelope (`rate_limited`) instead. */
        AuthorizeThrottled: {
            headers: {
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                "text/html": string;
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The CSRF token is missing or wrong; an error page. No redirect. */
        AuthorizeCsrfFailure: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "text/html": string;
            };
        };
        /** @description The request is invalid (`invalid_request`), e.g. no `token`. */
        OAuthBadRequest: {
            headers: {
                "Cache-Control": components["headers"]["Cache-Control"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["OAuthError"];
            };
        };
        /** @description Client authentication failed (`invalid_client`). */
        InvalidClient: {
            headers: {
                "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                "Cache-Control": components["headers"]["Cache-Control"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["OAuthError"];
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
        /** @description The body is not `application/x-www-form-urlencoded` (`unsupported_media_type`) */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The client IP's hourly request limit is spent: an RFC 6749 error `temporarily_unavailable` (the registered code for "temporarily unable to handle the request, retry later"), so OAuth client libraries can read it. Wait `Retry-After` seconds. */
        OAuthRateLimited: {
            headers: {
                "Retry-After": components["headers"]["Retry-After"];
                "Cache-Control": components["headers"]["Cache-Control"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["OAuthError"];
            };
        };
        /** @description The client IP's limit is spent (`rate_limited`) */
        RateLimited: {
            headers: {
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description An unexpected failure (`internal_error`). Nothing was changed. */
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
    };
    parameters: {
        ResponseType: "code";
        ClientId: string;
        /** @description Must exactly match one of the partner's registered redirect URIs. */
        RedirectUri: string;
        /**
         * @description Space-separated scopes; default the partner's allowed scopes.
         * @example promotions:read promotions:write
         */
        Scope: string;
        /** @description Opaque value returned unchanged on the redirect. Recommended. */
        State: string;
        /** @description PKCE (RFC 7636) `BASE64URL(SHA256(code_verifier))`. */
        CodeChallenge: string;
        CodeChallengeMethod: "S256";
    };
    requestBodies: {
        AuthorizeForm: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["AuthorizeForm"];
            };
        };
        TokenForm: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TokenForm"];
            };
        };
    };
    headers: {
        /** @description Where the browser goes next. */
        Location: string;
        /**
         * @description Always `no-store` (RFC 6749 §5.1).
         * @example no-store
         */
        "Cache-Control": string;
        /** @description The client authentication challenge, e.g. `Basic realm="oauth"`. */
        "WWW-Authenticate": string;
        /**
         * @description The pages' policy; no script may run, the page may not be framed.
         * @example default-src 'none'; style-src 'sha256-…'; form-action 'self' https://app.acme.example; frame-ancestors 'none'; base-uri 'none'
         */
        "Content-Security-Policy": string;
        /**
         * @description Seconds to wait before retrying.
         * @example 60
         */
        "Retry-After": number;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    oauth_metadata: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metadata */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthorizationServerMetadata"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    oauth_authorize_page: {
        parameters: {
            query: {
                response_type: components["parameters"]["ResponseType"];
                client_id: components["parameters"]["ClientId"];
                /** @description Must exactly match one of the partner's registered redirect URIs. */
                redirect_uri: components["parameters"]["RedirectUri"];
                /**
                 * @description Space-separated scopes; default the partner's allowed scopes.
                 * @example promotions:read promotions:write
                 */
                scope?: components["parameters"]["Scope"];
                /** @description Opaque value returned unchanged on the redirect. Recommended. */
                state?: components["parameters"]["State"];
                /** @description PKCE (RFC 7636) `BASE64URL(SHA256(code_verifier))`. */
                code_challenge: components["parameters"]["CodeChallenge"];
                code_challenge_method: components["parameters"]["CodeChallengeMethod"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["AuthorizePage"];
            302: components["responses"]["AuthorizeErrorRedirect"];
            400: components["responses"]["AuthorizeErrorPage"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    oauth_authorize_submit: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: components["requestBodies"]["AuthorizeForm"];
        responses: {
            303: components["responses"]["AuthorizeDecisionRedirect"];
            400: components["responses"]["AuthorizeErrorPage"];
            401: components["responses"]["AuthorizeBadCredentials"];
            403: components["responses"]["AuthorizeCsrfFailure"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["AuthorizeThrottled"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    v2_authorize_page: {
        parameters: {
            query: {
                response_type: components["parameters"]["ResponseType"];
                client_id: components["parameters"]["ClientId"];
                /** @description Must exactly match one of the partner's registered redirect URIs. */
                redirect_uri: components["parameters"]["RedirectUri"];
                /**
                 * @description Space-separated scopes; default the partner's allowed scopes.
                 * @example promotions:read promotions:write
                 */
                scope?: components["parameters"]["Scope"];
                /** @description Opaque value returned unchanged on the redirect. Recommended. */
                state?: components["parameters"]["State"];
                /** @description PKCE (RFC 7636) `BASE64URL(SHA256(code_verifier))`. */
                code_challenge: components["parameters"]["CodeChallenge"];
                code_challenge_method: components["parameters"]["CodeChallengeMethod"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["AuthorizePage"];
            302: components["responses"]["AuthorizeErrorRedirect"];
            400: components["responses"]["AuthorizeErrorPage"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    v2_authorize_submit: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: components["requestBodies"]["AuthorizeForm"];
        responses: {
            303: components["responses"]["AuthorizeDecisionRedirect"];
            400: components["responses"]["AuthorizeErrorPage"];
            401: components["responses"]["AuthorizeBadCredentials"];
            403: components["responses"]["AuthorizeCsrfFailure"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["AuthorizeThrottled"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    oauth_token: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TokenRequest"];
            };
        };
        responses: {
            /** @description The token */
            200: {
                headers: {
                    "Cache-Control": components["headers"]["Cache-Control"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            /** @description The request is invalid (`invalid_request`), the grant is invalid, expired, used or issued to another client or redirect URI (`invalid_grant`), the grant type is unknown (`unsupported_grant_type`) or not allowed for the client (`unauthorized_client`), or the scope is not allowed (`invalid_scope`). */
            400: {
                headers: {
                    "Cache-Control": components["headers"]["Cache-Control"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
            401: components["responses"]["InvalidClient"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["OAuthRateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    oauth_revoke: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: components["requestBodies"]["TokenForm"];
        responses: {
            /** @description Revoked, or nothing to revoke. The body is an empty JSON object, which RFC 7009 clients ignore and JSON-only clients can parse. */
            200: {
                headers: {
                    "Cache-Control": components["headers"]["Cache-Control"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            400: components["responses"]["OAuthBadRequest"];
            401: components["responses"]["InvalidClient"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["OAuthRateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    oauth_introspect: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: components["requestBodies"]["TokenForm"];
        responses: {
            /** @description The token's state */
            200: {
                headers: {
                    "Cache-Control": components["headers"]["Cache-Control"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IntrospectionResponse"];
                };
            };
            400: components["responses"]["OAuthBadRequest"];
            401: components["responses"]["InvalidClient"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["OAuthRateLimited"];
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
export const authorizeFormResponse_typeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["AuthorizeForm"]["response_type"]> = ["code"];
export const authorizeFormCode_challenge_methodValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["AuthorizeForm"]["code_challenge_method"]> = ["S256"];
export const authorizeFormDecisionValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["AuthorizeForm"]["decision"]> = ["approve", "deny"];
export const tokenRequestGrant_typeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TokenRequest"]["grant_type"]> = ["authorization_code", "client_credentials", "refresh_token"];
export const tokenFormToken_type_hintValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TokenForm"]["token_type_hint"]> = ["access_token", "refresh_token"];
export const tokenResponseToken_typeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TokenResponse"]["token_type"]> = ["Bearer"];
export const introspectionResponseToken_typeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["IntrospectionResponse"]["token_type"]> = ["Bearer", "refresh_token"];
export const oAuthErrorErrorValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["OAuthError"]["error"]> = ["invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope", "temporarily_unavailable"];
export const componentsParametersResponseTypeValues: ReadonlyArray<FlattenedDeepRequired<components>["parameters"]["ResponseType"]> = ["code"];
export const componentsParametersCodeChallengeMethodValues: ReadonlyArray<FlattenedDeepRequired<components>["parameters"]["CodeChallengeMethod"]> = ["S256"];
