"""Delivery: digests, alerts, the outbox that posts them once, schedules and their scheduler."""
