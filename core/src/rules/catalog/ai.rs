//! AI platforms: OpenAI, Anthropic, Hugging Face.

use super::Spec;

pub(super) const RULES: &[Spec] = &[
    Spec {
        id: "openai-api-key",
        description: "OpenAI API key: project (sk-proj-), service account (sk-svcacct-), admin or legacy (sk-…T3BlbkFJ…)",
        regex: r"\b(sk-(?:proj|svcacct|admin)-[\w-]{40,300}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})(?:[^\w-]|$)",
        keywords: &["sk-proj-", "sk-svcacct-", "sk-admin-", "T3BlbkFJ"],
        secret_group: Some(1),
        entropy: Some(3.5),
        examples: &[
            "openai: 401 invalid key 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",
            "service account key 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",
            "legacy key 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",
        ],
        counter_examples: &[
            "sk-proj-TfMCnA-c9MK64aMH is short",
            "model=gpt-4o task-proj-TfMCnA-c9MK64aMHDc7CUI0rzijZ8GWe3CIb42vkt3nOWsLeeSX",
        ],
        ..Spec::DEFAULT
    },
    Spec {
        id: "anthropic-api-key",
        description: "Anthropic API key (sk-ant-api03-…)",
        regex: r"\b(sk-ant-api[0-9]{2}-[\w-]{80,128})(?:[^\w-]|$)",
        keywords: &["sk-ant-api"],
        secret_group: Some(1),
        entropy: Some(3.5),
        public_prefix: Some(13),
        examples: &[
            "anthropic: using ANTHROPIC key sk-ant-api03-LBcWyJUJtbYM3mKmPVYo00ygVBC-fqlXMfySZ0KI1j5r7sV82u89EopC1f_8wGbB6jS3-sPC1g2c3LWetoT9Al0mK6ocvAA",
        ],
        counter_examples: &["sk-ant-api03-LBcWyJUJtbYM3mKmPVYo00 is short"],
    },
    Spec {
        id: "anthropic-admin-api-key",
        description: "Anthropic admin API key (sk-ant-admin01-…)",
        regex: r"\b(sk-ant-admin[0-9]{2}-[\w-]{80,128})(?:[^\w-]|$)",
        keywords: &["sk-ant-admin"],
        secret_group: Some(1),
        entropy: Some(3.5),
        public_prefix: Some(15),
        examples: &[
            "admin key sk-ant-admin01-j3IwhWf2DYLXg5c1yldA2IQn1zV7ssCn1tEQlCc5fjP5JJemxIe09jqKK6AmNaLO9YyO6mjwJixoJZNmJVmVkmXVcN1ZHAA",
        ],
        counter_examples: &["sk-ant-admin01-j3IwhWf2DYLXg5c1 is short"],
    },
    Spec {
        id: "huggingface-access-token",
        description: "Hugging Face user access token (hf_…)",
        regex: r"\bhf_[A-Za-z]{34}\b",
        keywords: &["hf_"],
        entropy: Some(3.5),
        examples: &["huggingface_hub: login with 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"],
        counter_examples: &["hf_transfer enabled", "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1 has a digit tail"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "huggingface-organization-api-token",
        description: "Hugging Face organization API token (api_org_…)",
        regex: r"\bapi_org_[A-Za-z]{34}\b",
        keywords: &["api_org_"],
        entropy: Some(3.5),
        examples: &["org token 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"],
        counter_examples: &["api_org_id=42"],
        ..Spec::DEFAULT
    },
];
