//! Infrastructure secrets: HashiCorp Vault and Terraform, age keys, database
//! connection strings.

use super::Spec;

pub(super) const RULES: &[Spec] = &[
    Spec {
        id: "vault-service-token",
        description: "HashiCorp Vault service token (hvs.…)",
        regex: r"\b(hvs\.[\w-]{24,300})(?:[^\w-]|$)",
        keywords: &["hvs."],
        secret_group: Some(1),
        entropy: Some(3.5),
        examples: &[
            "vault: Root Token: hvs.68tmiCm4VzkypI3XXJUp0vFb",
            "lease renewed for hvs.CAESI0WIpLae9S2GvNk_uDWvIese_vhqzibfTGlIaB-FfGpW5XVZBtYDuPBXWEtbO8gfIXuReuHVJ4wI2DTcsLsK1O3-uvz",
        ],
        counter_examples: &["hvs.68tmiCm4Vzkyp is short", "file ahvs.68tmiCm4VzkypI3XXJUp0vFb"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "vault-batch-token",
        description: "HashiCorp Vault batch token (hvb.…)",
        regex: r"\b(hvb\.[\w-]{24,300})(?:[^\w-]|$)",
        keywords: &["hvb."],
        secret_group: Some(1),
        entropy: Some(3.5),
        examples: &[
            "batch token hvb.AAAAAQXXFeoTnNFuGEuFTRlZRMJEcehMJ0gUN107uex7c7JUH8VgCxuUecHEHjbZOZzrdRNJQX8coPUJFFAdeGPkBiaGqp7khoGtDcHaTc-DPWZFMDWO1_diVCaWBenYvyoExfvYgwvZz_QzfY issued",
        ],
        counter_examples: &["hvb.AAAAAQXXFeoTnN is short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "vault-recovery-token",
        description: "HashiCorp Vault recovery token (hvr.…)",
        regex: r"\b(hvr\.[\w-]{24,300})(?:[^\w-]|$)",
        keywords: &["hvr."],
        secret_group: Some(1),
        entropy: Some(3.5),
        examples: &["recovery token hvr.ASCDjve74TLGsnXzfAJKWcvC generated"],
        counter_examples: &["hvr.ASCDjve74TLG is short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "hashicorp-tf-api-token",
        description: "Terraform Cloud / Enterprise API token (<14>.atlasv1.<60-70>)",
        regex: r"\b((?i:[a-z0-9]{14})\.atlasv1\.(?i:[a-z0-9_=-]{60,70}))(?:[^\w=-]|$)",
        keywords: &["atlasv1"],
        secret_group: Some(1),
        entropy: Some(3.5),
        examples: &[
            "terraform login: token 8px54ptehk3bhp.atlasv1.ldwtzvdv3xpl41w1j907o1cmpssk1qjap03p5v5dkb4d45hsmoc6ftcomuvxvd9rxy8 saved",
        ],
        counter_examples: &["8px54ptehk3bhp.atlasv1.ldwtzvdv3xpl is short", "host app.terraform.io/atlasv1/api"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "age-secret-key",
        description: "age encryption secret key (AGE-SECRET-KEY-1…)",
        regex: r"\bAGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}\b",
        keywords: &["AGE-SECRET-KEY-1"],
        examples: &[
            "# created: 2024-05-01\nAGE-SECRET-KEY-1NRXVLGXL2HSEPYTPCN93VH04X4SCQDDJZ2ZRQ0V5XGY8VKQUPEDYM4XLJ7",
        ],
        counter_examples: &[
            "age public key age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p",
            "AGE-SECRET-KEY-1NRXVLGXL2HSEPYTPCN93VH04X4SCQDD is short",
        ],
        ..Spec::DEFAULT
    },
    Spec {
        id: "connection-string-password",
        description: "Password=/Pwd= in an ODBC, JDBC or ADO.NET connection string",
        // A bare value never starts with `{`: when a braced value loses to an overlapping
        // finding, the next pass must not find a shorter `{…` bare value (idempotence).
        regex: r#"(?i:;[ \t]{0,2}(?:password|pwd)[ \t]{0,2}=[ \t]{0,2})(\{[^}\r\n]{1,256}\}|"[^"\r\n]{1,256}"|'[^'\r\n]{1,256}'|[^;"'\s{][^;"'\s]{0,255})"#,
        keywords: &["Password", "Pwd"],
        secret_group: Some(1),
        examples: &[
            "Server=tcp:sql01.database.windows.net,1433;Initial Catalog=orders;User ID=app;Password=Plum-Orbit-4471;Encrypt=True",
            "Driver={ODBC Driver 18 for SQL Server};Server=db01;Uid=sa;Pwd={s3cr;et};",
            "jdbc:sqlserver://db01:1433;databaseName=orders;user=app;password=Plum-Orbit-4471;encrypt=true",
        ],
        counter_examples: &["PWD=/home/app", "cd /srv && pwd=$(pwd)"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "mysql-password-flag",
        description: "Password given to a MySQL or MariaDB client as -pSECRET (ps output, shell traces)",
        // The password is glued to `-p` (`-p SECRET` means a database name); the command
        // ends at `;`, `|` or `&`. A `$VAR` is a reference, not the secret.
        regex: r#"\b(?:mysql(?:dump|admin|import|check|sh|binlog)?|mariadb(?:-dump|-admin|dump|admin)?)(?:[ \t][^\n;|&]{0,256}?)??[ \t]-p("[^"$\n]{1,256}"|'[^'\n]{1,256}'|[^\s'"$;|&][^\s'";|&]{0,255})"#,
        keywords: &["mysql", "mariadb"],
        secret_group: Some(1),
        examples: &[
            "root 4471 0.3 docker exec db mysql -uroot -pPlum-Orbit-4471 orders",
            "+ mysqldump -h db01 -u backup -p'Plum Orbit 4471' --all-databases",
            "mariadb -u app -pS3cr3tPw -e 'select 1'",
            "mysql -pS3cr3tPw orders",
        ],
        counter_examples: &[
            "mysql -u root -p",
            "mysql -u root -p orders",
            "mysql -uroot -p\"$MYSQL_PASSWORD\" orders",
            "mysql -uroot -p; ssh -p2222 host",
            "mysqld --pid-file=/run/mysqld.pid",
        ],
        ..Spec::DEFAULT
    },
    Spec {
        id: "sshpass-password-flag",
        description: "Password given to sshpass as -p SECRET",
        regex: r#"\bsshpass(?:[ \t]{1,4}-v)?[ \t]{1,4}-p[ \t]{0,4}("[^"$\n]{1,256}"|'[^'\n]{1,256}'|[^\s'"$;|&][^\s'";|&]{0,255})"#,
        keywords: &["sshpass"],
        secret_group: Some(1),
        examples: &["+ sshpass -p 'Plum Orbit 4471' ssh deploy@web01", "sshpass -pS3cr3tPw scp build.tgz web01:"],
        counter_examples: &["sshpass -e ssh -p 22 deploy@web01", "sshpass -f /run/secrets/ssh ssh -p 22 web01"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "curl-user-password",
        description: "user:password given to curl as -u/--user or -U/--proxy-user (ps output, shell traces)",
        // Masks the whole credential (`user:password`); without a colon curl prompts for
        // the password and nothing is on the line. A `$VAR` is a reference, not the secret.
        // The first such flag after `curl` counts, masked or not: were a mask (which has no
        // colon) passed over, the next pass would take a later flag (idempotence).
        regex: r#"\bcurl(?:[ \t][^\n;|&]{0,256}?)??[ \t](?:-u|-U|--user|--proxy-user)[ \t=]{0,4}(\[REDACTED[^\]\s]{0,64}\]|"[^"\n:]{0,128}:[^"\n$]{1,256}"|'[^'\n:]{0,128}:[^'\n]{1,256}'|[^\s'"$;|&:-][^\s'"$;|&:]{0,127}:[^\s'"$;|&]{1,256}|:[^\s'"$;|&]{1,256})"#,
        // Not `curl/8.5.0`, the user agent in every other access log line.
        keywords: &["curl ", "curl\t"],
        secret_group: Some(1),
        examples: &[
            "+ curl -sf -u admin:Plum-Orbit-4471 https://registry.example.com/v2/",
            "curl -u admin:S3cr3tPw https://example.com",
            "curl --user 'deploy:Plum Orbit 4471' -X POST https://ci.example.com/job",
            "curl -x proxy:3128 -U proxyuser:S3cr3tPw https://example.com",
        ],
        counter_examples: &[
            "curl -u admin https://example.com",
            "curl -u \"$USER:$PASS\" https://example.com",
            "curl -u admin:$TOKEN https://example.com",
            "curl -s https://example.com/api?a=b:c",
            "curl --user-agent 'Mozilla/5.0 (X11; Linux x86_64)' https://example.com",
        ],
        ..Spec::DEFAULT
    },
    Spec {
        id: "redis-cli-password-flag",
        description: "Password given to redis-cli as -a or --pass (ps output, shell traces)",
        regex: r#"\bredis-cli(?:[ \t][^\n;|&]{0,256}?)??[ \t](?:-a|--pass)[ \t]{1,4}("[^"$\n]{1,256}"|'[^'\n]{1,256}'|[^\s'"$;|&-][^\s'";|&]{0,255})"#,
        keywords: &["redis-cli ", "redis-cli\t"],
        secret_group: Some(1),
        examples: &[
            "redis-cli -h cache01 -a Plum-Orbit-4471 ping",
            "+ redis-cli --pass 'Plum Orbit 4471' info",
            "redis-cli -a S3cr3tPw ping",
        ],
        counter_examples: &[
            "redis-cli -h cache01 ping",
            "redis-cli -a \"$REDIS_PASSWORD\" ping",
            "redis-cli -a --no-auth-warning",
        ],
        ..Spec::DEFAULT
    },
];
