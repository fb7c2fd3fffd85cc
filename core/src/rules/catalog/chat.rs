//! Chat platforms: Slack, Discord, Telegram.

use super::{Spec, assign};

pub(super) const RULES: &[Spec] = &[
    Spec {
        id: "slack-bot-token",
        description: "Slack bot token (xoxb-…)",
        regex: r"\bxoxb-[0-9]{8,14}-(?:[0-9]{8,14}-)?[A-Za-z0-9]{18,34}\b",
        keywords: &["xoxb-"],
        entropy: Some(3.0),
        examples: &["slack: posting with xoxb-5592491684133-2889590795212-jAxwZwAChrJiQr7of2I1b3P6 to #deploys"],
        counter_examples: &["xoxb-5592491684133-2889590795212-jAxwZw is short", "xoxb-not-a-token"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "slack-user-token",
        description: "Slack user token (xoxp-…)",
        regex: r"\bxoxp-[0-9]{8,14}(?:-[0-9]{8,14}){1,3}-[A-Za-z0-9]{28,34}\b",
        keywords: &["xoxp-"],
        entropy: Some(3.0),
        examples: &["using user token xoxp-1579900929-4747884488828-2112909119357-5d8065f7a01fdf9a46e670eec9abf8cd"],
        counter_examples: &["xoxp-1579900929-4747884488828-5d8065f7 is short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "slack-legacy-workspace-token",
        description: "Slack workspace access (xoxa-) or refresh (xoxr-) token",
        regex: r"\bxox[ar]-(?:[0-9]-)?[0-9A-Za-z]{8,48}(?:-[0-9A-Za-z]{8,64}){0,4}\b",
        keywords: &["xoxa-", "xoxr-"],
        entropy: Some(3.0),
        examples: &[
            "workspace token xoxa-2-sXnXjEiJoB5cGwSJuPZYt4x6psy5I5c5X09jPxsM",
            "rotating xoxr-8mwkva76FWLI2dfgnvSyjyzWKM0Ma1fY2pBPa24R",
        ],
        counter_examples: &["xoxa-2-sXnXj is short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "slack-app-token",
        description: "Slack app-level token (xapp-…)",
        regex: r"\bxapp-[0-9]-[A-Z0-9]{8,12}-[0-9]{8,14}-[A-Za-z0-9]{32,80}\b",
        keywords: &["xapp-"],
        entropy: Some(3.0),
        examples: &[
            "socket mode: connecting with xapp-1-A564YYACQ0G-7209859466193-764b881bcacd4b1ad1341bf91fa10b7306ead0183f9463471f296ccf0ae54c6e",
        ],
        counter_examples: &["xapp-1-A564YYACQ0G-7209859466193-764b881b is short"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "slack-webhook-url",
        description: "Slack incoming-webhook URL (the path after hooks.slack.com/services/)",
        regex: r"hooks\.slack\.com/(?:services|workflows|triggers)/([A-Za-z0-9+/]{40,120})",
        keywords: &["hooks.slack.com"],
        secret_group: Some(1),
        examples: &["POST https://hooks.slack.com/services/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 200 OK"],
        counter_examples: &["see https://hooks.slack.com/services/ for setup"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "discord-webhook-url",
        description: "Discord webhook URL (the token after /api/webhooks/<id>/)",
        regex: r"discord(?:app)?\.com/api/webhooks/[0-9]{17,20}/([\w-]{60,80})",
        keywords: &["discord.com/api/webhooks/", "discordapp.com/api/webhooks/"],
        secret_group: Some(1),
        examples: &[
            "notify: POST https://discord.com/api/webhooks/8864296309850719087/76NM0D5nl3Pvfe9zML-jxqHbt4ta7yYl_XPISrE8EQa4q2rUzCqcid6T5ZVnk19J9zLW 204",
        ],
        counter_examples: &["docs: https://discord.com/api/webhooks/{webhook.id}/{webhook.token}"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "discord-api-token",
        description: "Discord bot token or API key after a discord…token/secret/key name",
        regex: concat!(
            r"(?i:discord[\w.-]{0,20}?(?:token|secret|key))",
            assign!(),
            r"([\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,40}|[a-f0-9]{64})(?:[^\w.-]|$)"
        ),
        keywords: &["discord", "Discord"],
        secret_group: Some(1),
        entropy: Some(3.5),
        examples: &["DISCORD_BOT_TOKEN=MmWNyZ5oStkJc14KfkQmKlnQku.o_3hUv.uDDoCn6Creks2ZLg5DmrtDCCPrQRm0V-OaVRhu"],
        counter_examples: &["discord_token_ttl=3600", "discord.gg/invite-code joined"],
        ..Spec::DEFAULT
    },
    Spec {
        id: "telegram-bot-api-token",
        description: "Telegram bot token (<bot id>:AA…)",
        regex: r"(?:\b|bot)([0-9]{5,16}:AA[\w-]{33})(?:[^\w-]|$)",
        keywords: &[":AA"],
        secret_group: Some(1),
        entropy: Some(3.0),
        examples: &[
            "POST https://api.telegram.org/bot4522941028:AATz6eCAmpEElUbygyDvxwJa_sae3FFoxbj/sendMessage 200",
            "bot token 4522941028:AATz6eCAmpEElUbygyDvxwJa_sae3FFoxbj loaded",
        ],
        counter_examples: &["mac 00:AA:BB:CC:DD:EE up", "4522941028:AATz6eCAmpEElUbygy is short"],
        ..Spec::DEFAULT
    },
];
