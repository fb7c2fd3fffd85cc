//! Source hosting: GitHub, GitLab, Atlassian.

use super::Spec;

pub(super) const RULES: &[Spec] = &[
    Spec {
        id: "github-pat",
        description: "GitHub personal access token, classic (ghp_…)",
        regex: r"\bghp_[0-9A-Za-z]{36}\b",
        keywords: &["ghp_"],
        entropy: Some(3.0),
        examples: &["git push failed: token ghp_OCys6P755o5YwPudlPnIUKdoREKSB4FJsDEF lacks the workflow scope"],
        counter_examples: &[
            "ghp_OCys6P755o5YwPudlPnIUKdoREKSB4FJsDE is one short",
            "myghp_OCys6P755o5YwPudlPnIUKdoREKSB4FJsDEF is inside an identifier",
            "ghp_OCys6P755o5YwPudlPnIUKdoREKSB4FJsDEF0 is one long",
        ],
        ..Spec::DEFAULT
    },
    Spec {
        id: "github-oauth",
        description: "GitHub OAuth access token (gho_…)",
        regex: r"\bgho_[0-9A-Za-z]{36}\b",
        keywords: &["gho_"],
        entropy: Some(3.0),
        examples: &["oauth app issued gho_MqMywrWB6rb1a7s7kI6XofvXIlWd1YgGxMHh"],
        counter_examples: &["gho_MqMywrWB6rb1a7s7kI6XofvXIlWd1YgGx-Hh has a dash"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "github-app-token",
        description: "GitHub App user-to-server (ghu_…) or installation (ghs_…) token",
        regex: r"\b(?:ghu|ghs)_[0-9A-Za-z]{36}\b",
        keywords: &["ghu_", "ghs_"],
        entropy: Some(3.0),
        examples: &[
            "actions: GITHUB_TOKEN is ghs_sQtxYBGfIk2651Thkt6Ftwtb82CGZhjLbIYr",
            "user token ghu_vNtweQV9BzWVdVW4V31KBFBb37ioEDVsN0FB refreshed",
        ],
        counter_examples: &["ghs_sQtxYBGfIk2651Thkt6Ftwtb82CGZhjLbIY is one short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "github-refresh-token",
        description: "GitHub refresh token (ghr_…)",
        regex: r"\bghr_[0-9A-Za-z]{36}\b",
        keywords: &["ghr_"],
        entropy: Some(3.0),
        examples: &["refresh ghr_Up1Y0xKrUpQ03ZJchH8XZc20WWdxptfqZvVu accepted"],
        counter_examples: &["ghr_Up1Y0xKrUpQ03ZJchH8XZc20WWdxptfq is short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "github-fine-grained-pat",
        description: "GitHub fine-grained personal access token (github_pat_…)",
        regex: r"\bgithub_pat_\w{82}\b",
        keywords: &["github_pat_"],
        entropy: Some(3.0),
        examples: &[
            "gh auth login --with-token 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",
        ],
        counter_examples: &[
            "export GITHUB_PAT_FILE=/run/secrets/github_pat_ci",
            "github_pat_11HqPDqpeEUGUPQP5SeEuB_bwZCTaWVNLk is short",
        ],
        ..Spec::DEFAULT
    },
    Spec {
        id: "gitlab-pat",
        description: "GitLab personal access token (glpat-…)",
        regex: r"\b(glpat-[\w-]{20})(?:[^\w-]|$)",
        keywords: &["glpat-"],
        secret_group: Some(1),
        entropy: Some(3.0),
        examples: &[
            "curl --header 'PRIVATE-TOKEN: glpat-ToHurqZH54oICKPl77d9' https://gitlab.example.com/api/v4/projects",
        ],
        counter_examples: &["glpat-ToHurqZH54oICKPl77d is short", "glpat-ToHurqZH54oICKPl77d9xyz is long"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "gitlab-pat-routable",
        description: "GitLab personal access token, routable format (glpat-….01.…)",
        regex: r"\bglpat-[\w-]{27,300}\.[0-9a-z]{2}\.?[0-9a-z]{7,9}\b",
        keywords: &["glpat-"],
        entropy: Some(3.5),
        examples: &["token glpat-Xe4ty2tiXi3THik6qDd9xhwoFjFd60b.01.a2s08e4nj created"],
        counter_examples: &["glpat-Xe4ty2tiXi3THik.01.a2s08e4nj is short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "gitlab-ptt",
        description: "GitLab pipeline trigger token (glptt-…)",
        regex: r"\bglptt-[0-9a-f]{40}\b",
        keywords: &["glptt-"],
        entropy: Some(3.0),
        examples: &[
            "curl -X POST -F token=glptt-c4d3f07515bed076de5a8a56c4595e1d318e7263 -F ref=main https://gitlab.example.com/api/v4/projects/9/trigger/pipeline",
        ],
        counter_examples: &["glptt-c4d3f07515bed076de5a8a56c4595e1d318e726 is short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "gitlab-runner-authentication-token",
        description: "GitLab runner authentication token (glrt-…)",
        regex: r"\b(glrt-[\w-]{20})(?:[^\w-]|$)",
        keywords: &["glrt-"],
        secret_group: Some(1),
        entropy: Some(3.0),
        examples: &["gitlab-runner register --token glrt-80GdCuMw1xBwbRhqAkaB --non-interactive"],
        counter_examples: &["glrt-80GdCuMw1xBwbRhq is short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "gitlab-runner-authentication-token-routable",
        description: "GitLab runner authentication token, routable format (glrt-t1_…)",
        regex: r"\bglrt-t[0-9]_[\w-]{27,300}\.[0-9a-z]{2}\.?[0-9a-z]{7,9}\b",
        keywords: &["glrt-"],
        entropy: Some(3.5),
        examples: &["runner token glrt-t1_IV_N87ckVUQnSVIngT_ED1ZuLIY.01.2325ct8nh verified"],
        counter_examples: &["glrt-t1_IV_N87ckV.01.2325ct8nh is short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "gitlab-rrt",
        description: "GitLab runner registration token, legacy (GR1348941…)",
        regex: r"\b(GR1348941[\w-]{20})(?:[^\w-]|$)",
        keywords: &["GR1348941"],
        secret_group: Some(1),
        entropy: Some(3.0),
        examples: &["gitlab-runner register --registration-token GR1348941-CD_JPezN7c_FlRHDm7A"],
        counter_examples: &["GR1348941-CD_JPezN7c is short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "gitlab-deploy-token",
        description: "GitLab deploy token (gldt-…)",
        regex: r"\b(gldt-[\w-]{20})(?:[^\w-]|$)",
        keywords: &["gldt-"],
        secret_group: Some(1),
        entropy: Some(3.0),
        examples: &["docker login -u deploy -p gldt-iMChlXpllIhQ8fOHLK5j registry.gitlab.example.com"],
        counter_examples: &["gldt-iMChlXpllIhQ8f is short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "atlassian-api-token",
        description: "Atlassian (Jira, Confluence, Bitbucket) API token (ATATT3…)",
        regex: r"\b(ATATT3[\w=-]{186})(?:[^\w=-]|$)",
        keywords: &["ATATT3"],
        secret_group: Some(1),
        entropy: Some(3.5),
        examples: &[
            "jira client: basic auth with ATATT3xFfGF0jFzvwTAwY4zDpZDs4det72DswVOECC6jzIZdiugQ8peS_JtVPrewh2d6FienFjTL3GI9xbf4AXEw81_HX_BGrDMvbye1oG6i03bXKGpAPvjMOH-fJQtxiVC50ERVHeXDTyP6kUTr1SbQ1KwHDeZGfKLxObaNWQLEkAVc5PIwV6z=6CE141F8 failed",
        ],
        counter_examples: &["ATATT3xFfGF0jFzZlGvwTAwY4zDpZDs4det72Dsw is short"],
        ..Spec::DEFAULT
    },
];
