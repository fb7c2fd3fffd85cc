//! Cloud providers: AWS, Google Cloud, Azure, DigitalOcean, Databricks, Heroku.

use super::{Spec, assign};

pub(super) const RULES: &[Spec] = &[
    Spec {
        id: "aws-access-token",
        description: "AWS access key id (AKIA… long-term, ASIA… temporary)",
        regex: r"\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b",
        keywords: &["A3T", "AKIA", "ASIA", "ABIA", "ACCA"],
        entropy: Some(3.0),
        examples: &[
            "aws s3 cp failed for key AKIALACI57K43PEADJ4S: AccessDenied",
            "assumed role, credentials ASIABWQEEQK4UOQQRXIV expire at 13:00",
        ],
        counter_examples: &[
            "key AKIALACI57K43PEADJ4 is one character short",
            "id XAKIALACI57K43PEADJ4S sits inside a longer word",
            "AKIALACI57K43PEADJ4S2 is one character too long",
            "lower-case akialaci57k43peadj4s is not a key id",
        ],
        ..Spec::DEFAULT
    },
    Spec {
        id: "aws-secret-access-key",
        description: "AWS secret access key (40 characters) after an aws_secret_access_key name",
        regex: concat!(
            r"(?i:secret[_-]?access[_-]?key|aws[_-]?secret[_-]?key)",
            assign!(),
            r"([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"
        ),
        keywords: &[
            "secret_access",
            "secret-access",
            "SecretAccess",
            "secretAccess",
            "aws_secret",
            "aws-secret",
            "AwsSecret",
            "awsSecret",
        ],
        secret_group: Some(1),
        entropy: Some(3.5),
        examples: &[
            "aws_secret_access_key = dMftdK7Z9Z2AOyxpz+Yyj1v3X+n7e90me+BU/vs7",
            r#"{"AccessKeyId": "ASIABWQEEQK4UOQQRXIV", "SecretAccessKey": "dMftdK7Z9Z2AOyxpz+Yyj1v3X+n7e90me+BU/vs7"}"#,
        ],
        counter_examples: &[
            "aws_secret_access_key = dMftdK7Z9Z2AOyxpz+Yyj1v3X+n7e90me+BU/vs",
            "aws_secret_access_key = dMftdK7Z9Z2AOyxpz+Yyj1v3X+n7e90me+BU/vs7x9",
            "aws_secret_access_key = XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        ],
        ..Spec::DEFAULT
    },
    Spec {
        id: "aws-session-token",
        description: "AWS STS session token (base64 starting with the serialized token header)",
        regex: r"\b((?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+]{100,4000}={0,2})",
        keywords: &["IQoJb3JpZ2luX2Vj", "FwoGZXIvYXdz", "FQoGZXIvYXdz"],
        entropy: Some(4.0),
        examples: &[
            "sts: X-Amz-Security-Token IQoJb3JpZ2luX2VjEPeHZXTPlblrJE3jAe4haR7K8XyZCB6IAUUJcTa/RXcrzEBZshBfTf39VMBlMJzjtPrcWC3f5fMqIY3Dwarw4xQTQzKEe7+PR9qR+hMjNzRf7+SKZSDK/Vb2x2kRVIIWKaNwGu0e/e64HmE+tWN2EABTPu1m0ugeWOg7GLqwSBIPt3oILT9RIKTze8E97AJISWXiRI92CVCPMuRsF1maLucrPtZEViP91KeRFiME6Zuxk5Sb0IfSWJ9mdbzfK1n+jDwVEgbf55KuQdBN7VHik5qNvO8fy5lShwlQOmOSZ1Mtk== refreshed",
        ],
        counter_examples: &["header IQoJb3JpZ2luX2VjEPeHZXTPlblrJE3jAe4haR7K8XyZCB6IAUUJcTa is too short for a token"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "gcp-api-key",
        description: "Google API key (AIza…)",
        regex: r"\b(AIza[\w-]{35})(?:[^\w-]|$)",
        keywords: &["AIza"],
        secret_group: Some(1),
        entropy: Some(3.5),
        examples: &[
            "GET https://maps.googleapis.com/maps/api/geocode/json?address=x&key=AIzaW17ePjjKvL77qDjStJek3xCdiKIsiIFWwyi HTTP/1.1",
        ],
        counter_examples: &[
            "AIzaW17ePjjKvL77qDjStJek3xCdiKIsiIFWwy is one character short",
            "AIzaW17ePjjKvL77qDjStJek3xCdiKIsiIFWwyiQ is one character long",
        ],
        ..Spec::DEFAULT
    },
    Spec {
        id: "google-oauth-access-token",
        description: "Google OAuth 2.0 access token (ya29.…)",
        regex: r"\b(ya29\.[\w.-]{19,2047}[\w-])(?:[^\w-]|$)",
        keywords: &["ya29."],
        secret_group: Some(1),
        entropy: Some(3.5),
        examples: &[
            "token refreshed: ya29.a0Dj_SF83ecdzH6kXVqAf0rHAcM-HqHyqsh812wBW-bcQTg6dHql-tABLrWzCZWl-u94mHSiU14oZPnoUjJGXwQQRw9dlUW1cXYngpNpfeXKmZzatoTZVZGWw-9cLMIBZgFjT88NpmNitL1LP7KlzdoW.",
        ],
        counter_examples: &["release ya29.2 shipped", "version ya29.a0Dj_SF83ecd"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "google-oauth-refresh-token",
        description: "Google OAuth 2.0 refresh token (1//0…)",
        regex: r"\b(1//0[\w-]{40,512})(?:[^\w-]|$)",
        keywords: &["1//0"],
        secret_group: Some(1),
        entropy: Some(3.5),
        examples: &[
            "oauth2: exchanging 1//0gS_TkLhjXI7G873V3Zw-r9h9xVl62DmX-7bzEesW8rauyH8j1vwhIT-A7rP-eAmILknoqgR9M9Jx3PW8IlGeptr97mucY5sGF9E for an access token",
        ],
        counter_examples: &[
            "ratio 1//0gS_TkLhjX is short",
            "path a1//0gS_TkLhjXI7G873V3Zw-r9h9xVl62DmX-7bzEesW8rauyH8j1vwhIT",
        ],
        ..Spec::DEFAULT
    },
    Spec {
        id: "gcp-service-account-private-key",
        description: "private_key field of a Google service-account JSON key file",
        regex: r#""private_key"[ \t]{0,3}:[ \t]{0,3}"(-----BEGIN (?:RSA )?PRIVATE KEY-----(?:\\n|[A-Za-z0-9+/=]){64,8192}-----END (?:RSA )?PRIVATE KEY-----(?:\\n)?)""#,
        keywords: &[r#""private_key""#],
        secret_group: Some(1),
        examples: &[
            r#"{"type": "service_account", "project_id": "demo", "private_key_id": "3f2a", "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC7Zq3xV9kLm2Rt8Ywn\nBn4Hc7Jd1Fs6Ga0Pe5Ui\n-----END PRIVATE KEY-----\n", "client_email": "x@demo.iam.gserviceaccount.com"}"#,
        ],
        counter_examples: &[
            r#"{"private_key": "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n"}"#,
        ],
        ..Spec::DEFAULT
    },
    Spec {
        id: "azure-storage-account-key",
        description: "Azure storage account key (AccountKey= in a connection string)",
        regex: concat!(r"(?i:AccountKey)", assign!(), r"([A-Za-z0-9+/]{86}==)"),
        keywords: &["AccountKey", "accountKey"],
        secret_group: Some(1),
        entropy: Some(4.0),
        examples: &[
            "DefaultEndpointsProtocol=https;AccountName=logs01;AccountKey=cbEnSp+mDf9/jSkWP0DGIapeMoEsO05h/7lBQqfEdzjVJzMpn1fYCRyrqpgPm+u1Z9k1vdk5f2nGNvn2a7AH1x==;EndpointSuffix=core.windows.net",
        ],
        counter_examples: &["AccountKey=cbEnSp+mDf9/jSkWP0DGIapeMoEsO05h== is too short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "azure-shared-access-key",
        description: "Azure Service Bus / Event Hubs / IoT Hub SharedAccessKey",
        regex: r"(?i:SharedAccessKey)[ \t]{0,2}=[ \t]{0,2}([A-Za-z0-9+/]{42,86}={0,2})",
        keywords: &["SharedAccessKey"],
        secret_group: Some(1),
        entropy: Some(4.0),
        examples: &[
            "Endpoint=sb://orders.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=xVGj6dQrR4xKwXcFn1z6iQRluTYKD3HJ3vJVAsLf9Pu=",
        ],
        counter_examples: &["SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=short="],
        ..Spec::DEFAULT
    },
    Spec {
        id: "azure-sas-signature",
        description: "Azure shared access signature: the sig= parameter of a SAS token or URL",
        regex: r"\b(?i:sig)=((?:[A-Za-z0-9+/=]|%2[BbFf]|%3[Dd]){40,130})",
        keywords: &["sig="],
        secret_group: Some(1),
        entropy: Some(4.0),
        examples: &[
            "PUT https://logs01.blob.core.windows.net/c/a.log?sv=2022-11-02&ss=b&srt=o&sp=rw&se=2024-06-01T00:00:00Z&spr=https&sig=nlCmjzNKZNNHLFriCv%2FFXVKkQP9ZiGBO6HeBwUmTo4D%3D 201",
        ],
        counter_examples: &["config sig=abc123 applied", "trace xsig=nlCmjzNKZNNHLFriCv%2FFXVKkQP9ZiGBO6HeBwUmTo4D%3D"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "aws-presigned-url-signature",
        description: "Signature of an S3 presigned URL (X-Amz-Signature)",
        regex: r"(?i:X-Amz-Signature)=([0-9a-f]{64})\b",
        keywords: &["X-Amz-Signature="],
        secret_group: Some(1),
        examples: &[
            "GET /reports/q1.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20240501T120000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=48a8a99ead0e8ac49f7f7b30d812141a798c3a1079ad8ef0ed604ad7c762f4ff 200",
        ],
        counter_examples: &["X-Amz-Signature=48a8a99ead0e8ac4 truncated in docs"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "gcs-signed-url-signature",
        description: "Signature of a Google Cloud Storage V4 signed URL (X-Goog-Signature)",
        regex: r"(?i:X-Goog-Signature)=([0-9a-f]{64,1024})\b",
        keywords: &["X-Goog-Signature="],
        secret_group: Some(1),
        examples: &[
            "GET /bucket/a.png?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature=a0e83bb9b08a986be3f26ee6bb069a122a261668eaf1ac0ed072da62babcf6975a2d858ad35766ccf58e999e6eb6101852dc5cecfef22b3ac24f2aaa13f50040b66dc3a296eddcec6d55480d0b5819f9f6b954457da43a92cca53c1eee3f913e194351e2605979a67e3a47e044ed82c864863d4820cbfa3e4f606e6f451274ffa3c72e3f921b6ebaf982306d59a9133ae2e7a72846542ee94a5902a3ed5c2a64ccadb9f79d9f4bb837c0c60a0eb3a11ecbc9dae633a24f709007851602980c7d19369541 200",
        ],
        counter_examples: &["X-Goog-Signature=a0e83bb9 truncated"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "azure-ad-client-secret",
        description: "Microsoft Entra ID (Azure AD) application client secret (…Q~…)",
        regex: r#"(?:^|[\\'"`\s>=:(,)])([a-zA-Z0-9_~.]{3}[0-9]Q~[a-zA-Z0-9_~.-]{31,34})(?:$|[\\'"`\s<),])"#,
        keywords: &["Q~"],
        secret_group: Some(1),
        entropy: Some(3.0),
        examples: &["msal: acquiring token with client secret Ubw8Q~G.2_jPLj0JcMHCbId.6Vk8E1Cfu5Ac0F9C for app 1d2e"],
        counter_examples: &[
            "Ubw8Q~G.2_jPLj0 is too short",
            "xUbw8Q~G.2_jPLj0JcMHCbId.6Vk8E1Cfu5Ac0F9CxyzxyzXYZ is too long",
        ],
        ..Spec::DEFAULT
    },
    Spec {
        id: "digitalocean-pat",
        description: "DigitalOcean personal access token (dop_v1_…)",
        regex: r"\b(dop_v1_[a-f0-9]{64})\b",
        keywords: &["dop_v1_"],
        entropy: Some(3.0),
        examples: &["doctl auth init -t dop_v1_dcda1b2e56d50cf302993e6e97e9b7eadb73d44122e22e27c7cd46fec68b024d"],
        counter_examples: &["dop_v1_dcda1b2e56d50cf302993e6e97e9b7ea is too short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "digitalocean-access-token",
        description: "DigitalOcean OAuth access token (doo_v1_…)",
        regex: r"\b(doo_v1_[a-f0-9]{64})\b",
        keywords: &["doo_v1_"],
        entropy: Some(3.0),
        examples: &["oauth callback issued doo_v1_b787eaf05c2b2a2cbbb19956ce3d37b1ae064b5cb7e5b8d38d3b38125de15af7"],
        counter_examples: &[
            "doo_v1_b787eaf05c2b2a2cbbb19956ce3d37b1ae064b5cb7e5b8d38d3b38125de15afg has a non-hex tail",
        ],
        ..Spec::DEFAULT
    },
    Spec {
        id: "digitalocean-refresh-token",
        description: "DigitalOcean OAuth refresh token (dor_v1_…)",
        regex: r"\b(dor_v1_[a-f0-9]{64})\b",
        keywords: &["dor_v1_"],
        entropy: Some(3.0),
        examples: &["refresh with dor_v1_10bed1c6f65e53874b6bd17ede649155e897cb1ab03239bd1817fdade9cc9558"],
        counter_examples: &["dor_v1_10bed1c6f65e53874b6bd17ede649155e897cb1ab03239bd1817fdade9cc955"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "databricks-api-token",
        description: "Databricks personal access token (dapi…)",
        regex: r"\b(dapi[a-f0-9]{32}(?:-[0-9])?)\b",
        keywords: &["dapi"],
        entropy: Some(3.0),
        examples: &["databricks-cli: using token dapi2a54b3e8e289b5f09a175b2bfd757875 for workspace adb-1"],
        counter_examples: &[
            "dapi2a54b3e8e289b5f09a175b2bfd75787 is short",
            "rapid dapi2a54b3e8e289b5f09a175b2bfd757875x",
        ],
        ..Spec::DEFAULT
    },
    Spec {
        id: "heroku-api-key",
        description: "Heroku API key (UUID-shaped) after a heroku…key/token name",
        regex: concat!(
            r"(?i:heroku[\w.-]{0,20}?(?:key|token|secret|password|auth))",
            assign!(),
            r"((?i:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))\b"
        ),
        keywords: &["heroku", "Heroku"],
        secret_group: Some(1),
        examples: &[
            "HEROKU_API_KEY=7d9ffaa8-0683-7a82-e10c-ac5ca2fbb73b",
            "heroku.authToken: 7d9ffaa8-0683-7a82-e10c-ac5ca2fbb73b",
        ],
        counter_examples: &[
            "HEROKU_APP_ID=7d9ffaa8-0683-7a82-e10c-ac5ca2fbb73b",
            "request 7d9ffaa8-0683-7a82-e10c-ac5ca2fbb73b done",
        ],
        ..Spec::DEFAULT
    },
    Spec {
        id: "heroku-api-key-v2",
        description: "Heroku API key, current format (HRKU-AA…)",
        regex: r"\b(HRKU-AA[\w-]{58})(?:[^\w-]|$)",
        keywords: &["HRKU-AA"],
        secret_group: Some(1),
        entropy: Some(4.0),
        examples: &["heroku login: stored HRKU-AAFpIHJSwaUYQ0XTr1fX5rAPRMVTcbkfUzTrR7E0xokHcwJLkEQBhdbV1fqu in netrc"],
        counter_examples: &["HRKU-AAFpIHJSwaUYQ0XTr1fX5rAPRM is short"],
        ..Spec::DEFAULT
    },
];
