"""What an operator needs to leave the bot running: health, metrics, logs."""
