//! Payments and commerce: Stripe, Square, Shopify.

use super::Spec;

pub(super) const RULES: &[Spec] = &[
    Spec {
        id: "stripe-access-token",
        description: "Stripe secret (sk_live_/sk_test_) or restricted (rk_live_/rk_test_) API key",
        regex: r"\b(?:sk|rk)_(?:test|live|prod)_[a-zA-Z0-9]{10,247}\b",
        keywords: &["sk_live_", "sk_test_", "sk_prod_", "rk_live_", "rk_test_", "rk_prod_"],
        entropy: Some(3.0),
        examples: &[
            "stripe: charge failed with key sk_live_qvh26qCWk2HJNiwNWLTL8tkR (card_declined)",
            "restricted key 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 in use",
            "test mode sk_test_Qo5RbcWlLadOWuCLoH9qogZ9",
        ],
        counter_examples: &[
            "publishable key pk_live_4Pl9Q80px5ZQybsk1rd9leix is public",
            "sk_live_short is too short",
            "ask_live_qvh26qCWk2HJNiwNWLTL8tkR is inside a word",
        ],
        ..Spec::DEFAULT
    },
    Spec {
        id: "stripe-webhook-secret",
        description: "Stripe webhook signing secret (whsec_…)",
        regex: r"\bwhsec_[A-Za-z0-9]{32,64}\b",
        keywords: &["whsec_"],
        entropy: Some(3.0),
        examples: &["stripe listen: Ready! Your webhook signing secret is whsec_94cz9Yi32m5ItOi4aUjTjxtLrIxg4uyI"],
        counter_examples: &["whsec_94cz9Yi32m5ItOi4 is short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "square-access-token",
        description: "Square access token (EAAA…, legacy sq0atp-…)",
        regex: r"\b(EAAA[\w-]{60}|sq0atp-[\w-]{22})(?:[^\w-]|$)",
        keywords: &["EAAA", "sq0atp-"],
        secret_group: Some(1),
        entropy: Some(3.0),
        examples: &[
            "square: Authorization failed for EAAAa-SFJktbcceDNOgcL1jZ8VIs-CH61SsQOAx3SGhF1MSeFQZRId2nQx2JlnVm",
            "legacy token sq0atp-h0KpHDA_Dav0cyzAzjHgAb",
        ],
        counter_examples: &["EAAAa-SFJktbcceDNOgcL1jZ8VIs is short", "sq0atp-h0KpHDA is short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "square-oauth-secret",
        description: "Square OAuth application secret (sq0csp-…)",
        regex: r"\b(sq0csp-[\w-]{43})(?:[^\w-]|$)",
        keywords: &["sq0csp-"],
        secret_group: Some(1),
        entropy: Some(3.0),
        examples: &["oauth app secret sq0csp-LWva1bAVozDyc2v51gRRq_JFPtmbejTKm-x8TL9R6-Z rotated"],
        counter_examples: &["sq0csp-LWva1bAVozDyc2v51gRRq is short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "shopify-access-token",
        description: "Shopify Admin API access token (shpat_…)",
        regex: r"\bshpat_[a-fA-F0-9]{32}\b",
        keywords: &["shpat_"],
        entropy: Some(2.5),
        examples: &["X-Shopify-Access-Token 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 rejected"],
        counter_examples: &["shpat_9e481f5e85ab81de2e3bb4ec59deb40 is short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "shopify-custom-access-token",
        description: "Shopify custom app access token (shpca_…)",
        regex: r"\bshpca_[a-fA-F0-9]{32}\b",
        keywords: &["shpca_"],
        entropy: Some(2.5),
        examples: &["custom app token 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"],
        counter_examples: &["shpca_e1aca9eb365146eacfaa9b010d80f4cz has a non-hex tail"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "shopify-private-app-access-token",
        description: "Shopify private app access token (shppa_…)",
        regex: r"\bshppa_[a-fA-F0-9]{32}\b",
        keywords: &["shppa_"],
        entropy: Some(2.5),
        examples: &["private app token 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"],
        counter_examples: &["shppa_3eafa2368a9ce9b1 is short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "shopify-shared-secret",
        description: "Shopify app shared secret (shpss_…)",
        regex: r"\bshpss_[a-fA-F0-9]{32}\b",
        keywords: &["shpss_"],
        entropy: Some(2.5),
        examples: &["verifying webhook HMAC with 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"],
        counter_examples: &["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ff is long"],
        ..Spec::DEFAULT
    },
];
