"""emailstatus: what happened to an email sent through Tencent Cloud SES, told in Slack."""
