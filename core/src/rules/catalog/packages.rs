//! Package registries and container registries: npm, PyPI, RubyGems, Docker.

use super::Spec;

pub(super) const RULES: &[Spec] = &[
    Spec {
        id: "npm-access-token",
        description: "npm access token (npm_…)",
        regex: r"\bnpm_[A-Za-z0-9]{36}\b",
        keywords: &["npm_"],
        entropy: Some(3.0),
        examples: &[
            "//registry.npmjs.org/:_authToken=npm_rBeZ9YplhwdH6FZJOhmhXCZwQjMBZGrEFXGd",
            "npm publish using npm_rBeZ9YplhwdH6FZJOhmhXCZwQjMBZGrEFXGd",
        ],
        counter_examples: &[
            "npm_config_cache=/tmp/npm_cache_1234567890abcdefghijklmnopqrstuvwxyz",
            "npm_rBeZ9YplhwdH6FZJOhmhXCZwQjMB is short",
        ],
        ..Spec::DEFAULT
    },
    Spec {
        id: "pypi-upload-token",
        description: "PyPI / TestPyPI upload token (pypi-AgEI… macaroon)",
        regex: r"\b((?:pypi-AgEIcHlwaS5vcmc|pypi-AgENdGVzdC5weXBpLm9yZw)[\w-]{50,1000})(?:[^\w-]|$)",
        keywords: &["pypi-AgEIcHlwaS5vcmc", "pypi-AgENdGVzdC5weXBpLm9yZw"],
        secret_group: Some(1),
        entropy: Some(3.5),
        public_prefix: Some(5),
        examples: &[
            "twine upload -u __token__ -p pypi-AgEIcHlwaS5vcmcL4x40eP32ofCwYNEhbQUwP3qhm0yUmZy3O2XPLkrUClvx2cXFieywGpovdtKxYBL2uWIByJHK1JLAqOe1txECURJ1vMiAC4CjRmrvIjofmPbD8G_DeLyOgCnt4BEsZeMmoSx04IZ2VNSJ3wp9J-6_HQcUjw5A20o dist/*",
        ],
        counter_examples: &["pypi-AgEIcHlwaS5vcmcL4x40eP32ofCw is short"],
    },
    Spec {
        id: "rubygems-api-token",
        description: "RubyGems API key (rubygems_…)",
        regex: r"\brubygems_[a-f0-9]{48}\b",
        keywords: &["rubygems_"],
        entropy: Some(3.0),
        examples: &["gem push: using rubygems_5071096785a10f62c023b0d8f12e09ad4e5268b4c7ea183d"],
        counter_examples: &["rubygems_version 3.5.3", "rubygems_5071096785a10f62c023b0d8f12e09ad is short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "dockerhub-pat",
        description: "Docker Hub personal or organization access token (dckr_pat_…, dckr_oat_…)",
        regex: r"\b(dckr_(?:pat|oat)_[\w-]{27,40})(?:[^\w-]|$)",
        keywords: &["dckr_pat_", "dckr_oat_"],
        secret_group: Some(1),
        entropy: Some(3.0),
        examples: &["echo dckr_pat_uUCxEOuPePGekwpZ23dhLjEari7 | docker login -u ci --password-stdin"],
        counter_examples: &["dckr_pat_uUCxEOuPePGek is short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "docker-config-auth",
        description: "auth field of a Docker config.json / .dockerconfigjson (base64 of user:password, checked by decoding)",
        regex: r#"\\?"auth\\?"[ \t]{0,3}:[ \t]{0,3}\\?"([A-Za-z0-9+/]{4,4096}={0,2})\\?""#,
        keywords: &[r#""auth""#, r#"auth\""#],
        secret_group: Some(1),
        examples: &[
            r#"{"auths": {"registry.example.com": {"auth": "ZGVwbG95OnMzY3JldC1QYXNz"}}}"#,
            r#"msg="pull config" body="{\"auths\":{\"ghcr.io\":{\"auth\":\"ZGVwbG95OnMzY3JldC1QYXNz\"}}}""#,
        ],
        counter_examples: &[r#"{"auth": "", "user": "deploy"}"#, r#"{"auth": "oidc-provider"}"#],
        ..Spec::DEFAULT
    },
    Spec {
        id: "docker-config-json",
        description: "Base64-encoded .dockerconfigjson (a Kubernetes image pull secret)",
        regex: r"\b(eyJhdXRocyI6[A-Za-z0-9+/]{16,16384}={0,2})",
        keywords: &["eyJhdXRocyI6"],
        secret_group: Some(1),
        examples: &[
            "  .dockerconfigjson: eyJhdXRocyI6eyJyZWdpc3RyeS5leGFtcGxlLmNvbSI6eyJhdXRoIjoiWkdWd2JHOTVPbk16WTNKbGRDMVFZWE56In19fQ==",
        ],
        counter_examples: &["prefix eyJhdXRocyI6e only"],
        ..Spec::DEFAULT
    },
];
