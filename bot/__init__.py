"""newsdesk: a news-alert bot for Discord and Slack that knows who said what, when."""

__version__ = "0.1.0"
