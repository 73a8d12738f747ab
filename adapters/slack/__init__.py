"""Slack adapter: slash commands over HTTP or Socket Mode, Block Kit replies, posts and edits."""

from adapters.slack.app import SlackAdapter, SlackPostError
from adapters.slack.routing import SLASH_COMMANDS, request_line

__all__ = ["SLASH_COMMANDS", "SlackAdapter", "SlackPostError", "request_line"]
