//! Messaging and observability SaaS: SendGrid, Twilio, Mailgun, Mailchimp, Datadog,
//! Grafana, Sentry.

use super::{Spec, assign};

pub(super) const RULES: &[Spec] = &[
    Spec {
        id: "sendgrid-api-token",
        description: "SendGrid API key (SG.<22>.<43>)",
        regex: r"\b(SG\.[\w-]{22}\.[\w-]{43})(?:[^\w-]|$)",
        keywords: &["SG."],
        secret_group: Some(1),
        entropy: Some(3.0),
        examples: &[
            "mailer: sendgrid rejected 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 (401)",
        ],
        counter_examples: &[
            "SG.j0CWEr1NHeJSvl6ZURuoMz.iCgsLsKEjUOew is short",
            "MSG.j0CWEr1NHeJSvl6ZURuoMz.iCgsLsKEjUOewOSLUstIgpHJT8A14035uoIp9Zt_PT0",
        ],
        ..Spec::DEFAULT
    },
    Spec {
        id: "twilio-api-key",
        description: "Twilio API key SID (SK + 32 hex); its secret is a key-context value",
        // Not after `/`: a SID in a URL path (`/Keys/SK…`, `/skus/SK…`) is an identifier.
        regex: r"(?:^|[^/\w])(SK[0-9a-f]{32})\b",
        keywords: &["SK"],
        secret_group: Some(1),
        entropy: Some(3.0),
        examples: &["twilio: authenticating with API key SK826bd0e9cb4f87577733902b425f0066"],
        counter_examples: &[
            "account AC49f878ee98b09a76883da178a2e15f67 is a public account SID",
            "SK826bd0e9cb4f87577733902b425f006 is short",
            "TASK826bd0e9cb4f87577733902b425f0066 is inside a word",
            "GET /api/skus/SK826bd0e9cb4f87577733902b425f0066 200",
        ],
        ..Spec::DEFAULT
    },
    Spec {
        id: "twilio-auth-token",
        description: "Twilio auth token (32 hex) after a twilio…token/secret name",
        regex: concat!(r"(?i:twilio[\w.-]{0,20}?(?:token|secret))", assign!(), r"([a-f0-9]{32})\b"),
        keywords: &["twilio", "Twilio"],
        secret_group: Some(1),
        entropy: Some(3.0),
        examples: &[
            "TWILIO_AUTH_TOKEN=d66d86f28a9c3bb3e3f540124c885473",
            r#"{"twilioAuthToken": "d66d86f28a9c3bb3e3f540124c885473"}"#,
        ],
        counter_examples: &["TWILIO_ACCOUNT_SID=AC49f878ee98b09a76883da178a2e15f67", "twilio_token_ttl=3600"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "mailgun-private-api-token",
        description: "Mailgun private API key or signing key after a mailgun…key name",
        regex: concat!(
            r"(?i:mailgun[\w.-]{0,20}?(?:key|token|secret))",
            assign!(),
            r"(key-[a-f0-9]{32}|[a-f0-9]{32}-[a-f0-9]{8}-[a-f0-9]{8})\b"
        ),
        keywords: &["mailgun", "Mailgun"],
        secret_group: Some(1),
        examples: &[
            "MAILGUN_API_KEY=key-5ff514a521b5bc213da40a69b6405062",
            "mailgun.signing_key: dbcc0afd77eaf492529b5e3638d294f4-a701cabc-f46e33b6",
        ],
        counter_examples: &[
            "MAILGUN_PUBLIC_KEY=pubkey-5ff514a521b5bc213da40a69b6405062",
            "cache key-5ff514a521b5bc213da40a69b6405062 evicted",
        ],
        ..Spec::DEFAULT
    },
    Spec {
        id: "mailchimp-api-key",
        description: "Mailchimp API key (32 hex + data-centre suffix -usNN)",
        regex: r"\b([a-f0-9]{32}-us[0-9]{1,2})\b",
        keywords: &["-us"],
        secret_group: Some(1),
        entropy: Some(3.0),
        examples: &["mailchimp: GET /3.0/lists with 290b50f27b2ea4d3a2e5b029ee8e9027-us72 -> 401"],
        counter_examples: &[
            "locale en-us",
            "290b50f27b2ea4d3a2e5b029ee8e902-us72 is short",
            "290b50f27b2ea4d3a2e5b029ee8e9027-use1 region",
        ],
        ..Spec::DEFAULT
    },
    Spec {
        id: "datadog-access-token",
        description: "Datadog API key (32 hex) or application key (40 hex) after a DD_API_KEY/DD_APP_KEY-style name",
        regex: concat!(
            r"(?:\b|_)(?i:(?:datadog[\w.-]{0,20}?|dd[_.-]?)(?:api|app(?:lication)?)[_.-]?key)",
            assign!(),
            r"([a-f0-9]{40}|[a-f0-9]{32})\b"
        ),
        keywords: &[
            "datadog", "Datadog", "dd_api", "dd-api", "dd.api", "ddApi", "Dd-Api", "dd_app", "dd-app", "dd.app",
            "ddApp", "Dd-App",
        ],
        secret_group: Some(1),
        entropy: Some(3.0),
        examples: &[
            "DD_API_KEY=4f1b30b2a6610db64a410ae1e13c44e4",
            "Dd-Application-Key: f585b1b723c1cf057458b3b274032393b284decc",
            "datadog.app_key = f585b1b723c1cf057458b3b274032393b284decc",
        ],
        counter_examples: &[
            "DD_SITE=datadoghq.eu DD_ENV=prod",
            "add_api_key=4f1b30b2a6610db64a410ae1e13c44e4",
            "trace_id 4f1b30b2a6610db64a410ae1e13c44e4",
        ],
        ..Spec::DEFAULT
    },
    Spec {
        id: "grafana-api-key",
        description: "Grafana API key, legacy (eyJrIjoi…)",
        regex: r"\b(eyJrIjoi[A-Za-z0-9]{70,400}={0,3})(?:[^A-Za-z0-9=]|$)",
        keywords: &["eyJrIjoi"],
        secret_group: Some(1),
        entropy: Some(3.0),
        examples: &[
            "grafana: provisioning with eyJrIjoinCAi6P0u8IJT6yFrmtM21hvE376xg2NHPJ8YVBU1n0TOBKGWvU1jh1RNe4iVg2yVgiTJWLh0mlqsaHTlgKgwZiQkvk= ok",
        ],
        counter_examples: &["eyJrIjoinCAi6P0u8IJT6yFrmtM21 is short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "grafana-cloud-api-token",
        description: "Grafana Cloud API token (glc_…)",
        regex: r"\b(glc_[A-Za-z0-9+/]{32,400}={0,3})(?:[^A-Za-z0-9+/=]|$)",
        keywords: &["glc_"],
        secret_group: Some(1),
        entropy: Some(3.0),
        examples: &[
            "remote_write: using glc_feEoTwDkqFIMbrdsIsl9C51USzVZVICS8NJ8hk5HV8NtJPohyclF5nWb4gHWS6ymGrNOksh5PbbzhzuxeEC1mhd9d52WNDQgm5jgW0YR9o44EitqctA468xT== as password",
        ],
        counter_examples: &["glc_feEoTwDkqFIMbrdsIsl9C51 is short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "grafana-service-account-token",
        description: "Grafana service account token (glsa_…)",
        regex: r"\bglsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}\b",
        keywords: &["glsa_"],
        entropy: Some(3.0),
        examples: &["grafana-cli: token glsa_BbznNdwjt5KfNx52TKCWwwcWuf6uuGjK_10579b67 accepted"],
        counter_examples: &["glsa_BbznNdwjt5KfNx52TKCWwwcWuf6uuGjK_1057 is short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "sentry-user-token",
        description: "Sentry user auth token (sntryu_…)",
        regex: r"\bsntryu_[a-f0-9]{64}\b",
        keywords: &["sntryu_"],
        entropy: Some(3.5),
        examples: &["sentry-cli: auth token 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"],
        counter_examples: &["sntryu_21081ba576fa388311459545cdc39994 is short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "sentry-org-token",
        description: "Sentry organization auth token (sntrys_…)",
        regex: r"\b(sntrys_eyJpYXQiO[A-Za-z0-9+/]{10,400}={0,2}_[A-Za-z0-9+/]{43})(?:[^A-Za-z0-9+/]|$)",
        keywords: &["sntrys_eyJpYXQiO"],
        secret_group: Some(1),
        entropy: Some(4.0),
        public_prefix: Some(7),
        examples: &[
            "sentry-cli releases new 1.2.3 --auth-token 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",
        ],
        counter_examples: &["sntrys_eyJpYXQiO9GYStkdXe4kRRpYS6 is short"],
    },
    Spec {
        id: "sentry-dsn",
        description: "Key of a Sentry DSN (https://<key>@….sentry.io/<project>)",
        regex: r"https?://([a-f0-9]{32})(?::[a-f0-9]{32})?@[\w.-]{0,100}sentry",
        keywords: &["sentry"],
        secret_group: Some(1),
        entropy: Some(3.0),
        examples: &[
            "sentry: initialised with dsn https://0c850b36b851c8e06039e1441bb1b3dd@o4504.ingest.us.sentry.io/4507 env=prod",
        ],
        counter_examples: &[
            "sentry: https://o4504.ingest.us.sentry.io/api/4507/envelope/ 200",
            "https://0c850b36@o4504.ingest.sentry.io/1",
        ],
        ..Spec::DEFAULT
    },
];
